import type { ComponentRow, IncidentRecord, PageRow } from "../model/rows.ts";
import {
  type ComponentStatus,
  type Impact,
  type IncidentKind,
  isActive,
  type PageStatus,
  rollupStatus,
  type UpdateStatus,
  worstComponentStatus,
} from "../model/statuses.ts";
import { paths, publicUrl, type V2DocumentName } from "./paths.ts";
import type { PublicReads } from "./reads.ts";
import { onPage } from "./retirement.ts";

/** Statuspage v2 objects, key for key as Statuspage's public API has them: never a key omitted. */
export type V2Page = { id: string; name: string; url: string; time_zone: string; updated_at: string };
export type V2Component = {
  id: string;
  name: string;
  status: ComponentStatus;
  created_at: string;
  updated_at: string;
  position: number;
  description: string | null;
  showcase: boolean;
  start_date: string | null;
  group_id: string | null;
  page_id: string;
  group: boolean;
  only_show_if_degraded: boolean;
  components?: string[];
};
export type V2AffectedComponent = {
  code: string;
  name: string;
  old_status: ComponentStatus;
  new_status: ComponentStatus;
};
export type V2IncidentUpdate = {
  id: string;
  status: UpdateStatus;
  body: string;
  incident_id: string;
  created_at: string;
  updated_at: string;
  display_at: string;
  affected_components: V2AffectedComponent[] | null;
  deliver_notifications: boolean;
  custom_tweet: null;
  tweet_id: null;
};
export type V2Incident = {
  id: string;
  name: string;
  status: UpdateStatus;
  impact: Impact;
  created_at: string;
  updated_at: string;
  started_at: string;
  monitoring_at: string | null;
  resolved_at: string | null;
  shortlink: string;
  page_id: string;
  incident_updates: V2IncidentUpdate[];
  components: V2Component[];
  reminder_intervals: null;
  scheduled_for?: string | null;
  scheduled_until?: string | null;
};

const RECENT_LIMIT = 50;

export function v2Page(row: PageRow): V2Page {
  return { id: row.id, name: row.name, url: row.url, time_zone: row.timeZone, updated_at: row.updatedAt };
}

/** Groups take the worst status of their components. */
export function effectiveStatus(component: ComponentRow, all: ComponentRow[]): ComponentStatus {
  if (!component.isGroup) return component.status;
  // A sunset member has left the page: it no longer colours its group (docs/inventory.md).
  return worstComponentStatus(onPage(all.filter((c) => c.groupId === component.id)).map((c) => c.status));
}

/** Top-level components and groups by position, each group followed by its components. */
export function orderComponents(all: ComponentRow[]): ComponentRow[] {
  const byPosition = (a: ComponentRow, b: ComponentRow) =>
    a.position - b.position || a.createdAt.localeCompare(b.createdAt);
  const ordered: ComponentRow[] = [];
  for (const top of all.filter((c) => c.groupId === null).sort(byPosition)) {
    ordered.push(top);
    if (top.isGroup) ordered.push(...all.filter((c) => c.groupId === top.id).sort(byPosition));
  }
  return ordered;
}

export function v2Component(component: ComponentRow, all: ComponentRow[], pageId: string): V2Component {
  const base: V2Component = {
    id: component.id,
    name: component.name,
    status: effectiveStatus(component, all),
    created_at: component.createdAt,
    updated_at: component.updatedAt,
    position: component.position,
    description: component.description,
    showcase: component.showcase,
    start_date: component.startDate,
    group_id: component.groupId,
    page_id: pageId,
    group: component.isGroup,
    only_show_if_degraded: component.onlyShowIfDegraded,
  };
  if (!component.isGroup) return base;
  return {
    ...base,
    components: orderComponents(all)
      .filter((c) => c.groupId === component.id)
      .map((c) => c.id),
  };
}

export function v2Incident(record: IncidentRecord, all: ComponentRow[], page: PageRow): V2Incident {
  const byId = new Map(all.map((c) => [c.id, c]));
  const incident: V2Incident = {
    id: record.id,
    name: record.name,
    status: record.status,
    impact: record.impact,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    started_at: record.startedAt,
    monitoring_at: record.monitoringAt,
    resolved_at: record.resolvedAt,
    shortlink: publicUrl(page, paths.incident(record.id)),
    page_id: page.id,
    incident_updates: record.updates.map((u) => ({
      id: u.id,
      status: u.status,
      body: u.bodyMd,
      incident_id: record.id,
      created_at: u.createdAt,
      updated_at: u.updatedAt,
      display_at: u.displayAt,
      affected_components:
        u.componentChanges.length === 0
          ? null
          : u.componentChanges.map((c) => ({
              code: c.componentId,
              name: c.componentName,
              old_status: c.oldStatus,
              new_status: c.newStatus,
            })),
      deliver_notifications: u.deliverNotifications,
      custom_tweet: null,
      tweet_id: null,
    })),
    components: record.componentIds.flatMap((id) => {
      const component = byId.get(id);
      return component ? [v2Component(component, all, page.id)] : [];
    }),
    reminder_intervals: null,
  };
  if (record.kind === "maintenance") {
    incident.scheduled_for = record.scheduledFor;
    incident.scheduled_until = record.scheduledUntil;
  }
  return incident;
}

/** The page's overall status from components and active incidents (see `rollupStatus`). */
export function pageStatus(components: ComponentRow[], open: IncidentRecord[]): PageStatus {
  const leafStatuses = onPage(components.filter((c) => !c.isGroup)).map((c) => c.status);
  const activeImpacts = open.filter((i) => isActive(i.kind, i.status)).map((i) => i.impact);
  return rollupStatus(leafStatuses, activeImpacts);
}

/** Builds one Statuspage v2 document. */
export async function buildV2Document(reads: PublicReads, name: V2DocumentName): Promise<Record<string, unknown>> {
  const [page, components] = await Promise.all([reads.page(), reads.components()]);
  // Sunset components leave the component lists; incidents keep naming them (their history stays).
  const shown = onPage(components);
  const pageObject = v2Page(page);
  const incidentsOf = (records: IncidentRecord[]) => records.map((r) => v2Incident(r, components, page));
  const open = (kind: IncidentKind, statuses?: UpdateStatus[]) =>
    reads.open().then((all) => all.filter((i) => i.kind === kind && (!statuses || statuses.includes(i.status))));
  switch (name) {
    case "summary.json": {
      const all = await reads.open();
      return {
        page: pageObject,
        components: orderComponents(shown).map((c) => v2Component(c, shown, page.id)),
        incidents: incidentsOf(all.filter((i) => i.kind === "incident")),
        scheduled_maintenances: incidentsOf(all.filter((i) => i.kind === "maintenance")),
        status: pageStatus(components, all),
      };
    }
    case "status.json":
      return { page: pageObject, status: pageStatus(components, await reads.open()) };
    case "components.json":
      return {
        page: pageObject,
        components: orderComponents(shown).map((c) => v2Component(c, shown, page.id)),
      };
    case "incidents.json":
      return {
        page: pageObject,
        incidents: incidentsOf(await reads.incidents({ kind: "incident", limit: RECENT_LIMIT })),
      };
    case "incidents/unresolved.json":
      return { page: pageObject, incidents: incidentsOf(await open("incident")) };
    case "scheduled-maintenances.json":
      return {
        page: pageObject,
        scheduled_maintenances: incidentsOf(await reads.incidents({ kind: "maintenance", limit: RECENT_LIMIT })),
      };
    case "scheduled-maintenances/upcoming.json":
      return { page: pageObject, scheduled_maintenances: incidentsOf(await open("maintenance", ["scheduled"])) };
    case "scheduled-maintenances/active.json":
      return {
        page: pageObject,
        scheduled_maintenances: incidentsOf(await open("maintenance", ["in_progress", "verifying"])),
      };
  }
}

/** The exact bytes served for a v2 document, statically and live alike. */
export function serializeV2(document: Record<string, unknown>): string {
  return JSON.stringify(document);
}
