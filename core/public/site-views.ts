import { desc, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { incidents } from "../../db/schema.ts";
import { listComponents } from "../components/load-components.ts";
import { getIncident, listIncidents, loadIncidentRecords } from "../incidents/load-incidents.ts";
import { getPage } from "../page/get-page.ts";
import {
  COMPONENT_STATUS_LABELS,
  type ComponentStatus,
  IMPACT_LABELS,
  type Impact,
  type PageStatus,
  UPDATE_STATUS_LABELS,
  type UpdateStatus,
} from "../statuses.ts";
import type { ComponentRow, IncidentRecord } from "../types.ts";
import {
  buildV2Document,
  effectiveStatus,
  orderComponents,
  pageStatus,
  serializeV2,
  V2_DOCUMENTS,
  type V2DocumentName,
} from "./statuspage.ts";

/** View models for the public site: the same data the v2 JSON serves, shaped for pages. */
export type ComponentView = {
  id: string;
  name: string;
  description: string | null;
  status: ComponentStatus;
  statusLabel: string;
  isGroup: boolean;
  children: ComponentView[];
};

export type UpdateView = {
  id: string;
  status: UpdateStatus;
  statusLabel: string;
  bodyHtml: string;
  displayAt: string;
  affected: {
    id: string;
    name: string;
    oldStatus: ComponentStatus;
    newStatus: ComponentStatus;
    newStatusLabel: string;
  }[];
};

export type IncidentView = {
  id: string;
  kind: "incident" | "maintenance";
  name: string;
  status: UpdateStatus;
  statusLabel: string;
  impact: Impact;
  impactLabel: string;
  createdAt: string;
  startedAt: string;
  resolvedAt: string | null;
  scheduledFor: string | null;
  scheduledUntil: string | null;
  /** Newest first. */
  updates: UpdateView[];
  components: { id: string; name: string }[];
};

export type PageInfo = { name: string; url: string; updatedAt: string };

export type IndexView = {
  page: PageInfo;
  status: PageStatus;
  components: ComponentView[];
  openIncidents: IncidentView[];
  activeMaintenances: IncidentView[];
  upcomingMaintenances: IncidentView[];
};

export type HistoryMonth = { month: string; label: string; count: number };
export type HistoryIndexView = { page: PageInfo; months: HistoryMonth[] };
export type HistoryMonthView = {
  page: PageInfo;
  month: HistoryMonth;
  incidents: IncidentView[];
  newer: HistoryMonth | null;
  older: HistoryMonth | null;
};
export type IncidentPageView = { page: PageInfo; incident: IncidentView };

/** What site pages read through `Astro.locals.site`. */
export type SiteData = {
  index(): Promise<IndexView>;
  incident(id: string): Promise<IncidentPageView | null>;
  historyIndex(): Promise<HistoryIndexView>;
  historyMonth(month: string): Promise<HistoryMonthView | null>;
  v2(name: V2DocumentName): Promise<string>;
};

export function createSiteData(db: Db): SiteData {
  return {
    index: () => indexView(db),
    incident: (id) => incidentPageView(db, id),
    historyIndex: () => historyIndexView(db),
    historyMonth: (month) => historyMonthView(db, month),
    v2: async (name) => serializeV2(await buildV2Document(db, name)),
  };
}

export function isV2DocumentName(name: string): name is V2DocumentName {
  return (V2_DOCUMENTS as readonly string[]).includes(name);
}

async function pageInfo(db: Db): Promise<PageInfo> {
  const page = await getPage(db);
  return { name: page.name, url: page.url, updatedAt: page.updatedAt };
}

function componentViews(all: ComponentRow[]): ComponentView[] {
  const ordered = orderComponents(all);
  const view = (c: ComponentRow): ComponentView => {
    const status = effectiveStatus(c, all);
    return {
      id: c.id,
      name: c.name,
      description: c.description,
      status,
      statusLabel: COMPONENT_STATUS_LABELS[status],
      isGroup: c.isGroup,
      children: c.isGroup ? ordered.filter((child) => child.groupId === c.id).map(view) : [],
    };
  };
  const visible = (v: ComponentView, row: ComponentRow) => !row.onlyShowIfDegraded || v.status !== "operational";
  return ordered
    .filter((c) => c.groupId === null)
    .map((c) => ({ row: c, view: view(c) }))
    .filter(({ row, view: v }) => visible(v, row))
    .map(({ view: v }) => ({
      ...v,
      children: v.children.filter((child) => {
        const row = all.find((c) => c.id === child.id);
        return row ? visible(child, row) : false;
      }),
    }));
}

export function incidentView(record: IncidentRecord): IncidentView {
  return {
    id: record.id,
    kind: record.kind,
    name: record.name,
    status: record.status as UpdateStatus,
    statusLabel: UPDATE_STATUS_LABELS[record.status as UpdateStatus],
    impact: record.impact as Impact,
    impactLabel: IMPACT_LABELS[record.impact as Impact],
    createdAt: record.createdAt,
    startedAt: record.startedAt,
    resolvedAt: record.resolvedAt,
    scheduledFor: record.scheduledFor,
    scheduledUntil: record.scheduledUntil,
    updates: record.updates.map((u) => ({
      id: u.id,
      status: u.status as UpdateStatus,
      statusLabel: UPDATE_STATUS_LABELS[u.status as UpdateStatus],
      bodyHtml: u.bodyHtml,
      displayAt: u.displayAt,
      affected: u.componentChanges.map((c) => ({
        id: c.componentId,
        name: c.componentName,
        oldStatus: c.oldStatus as ComponentStatus,
        newStatus: c.newStatus as ComponentStatus,
        newStatusLabel: COMPONENT_STATUS_LABELS[c.newStatus as ComponentStatus],
      })),
    })),
    components: uniqueAffected(record),
  };
}

function uniqueAffected(record: IncidentRecord): { id: string; name: string }[] {
  const seen = new Map<string, string>();
  for (const update of [...record.updates].reverse()) {
    for (const change of update.componentChanges) seen.set(change.componentId, change.componentName);
  }
  return [...seen].map(([id, name]) => ({ id, name }));
}

async function indexView(db: Db): Promise<IndexView> {
  const [page, components, open] = await Promise.all([
    pageInfo(db),
    listComponents(db),
    listIncidents(db, { open: true }),
  ]);
  const maintenances = open.filter((i) => i.kind === "maintenance");
  const byStart = (a: IncidentRecord, b: IncidentRecord) => a.startedAt.localeCompare(b.startedAt);
  return {
    page,
    status: pageStatus(components, open),
    components: componentViews(components),
    openIncidents: open.filter((i) => i.kind === "incident").map(incidentView),
    activeMaintenances: maintenances
      .filter((i) => i.status !== "scheduled")
      .sort(byStart)
      .map(incidentView),
    upcomingMaintenances: maintenances
      .filter((i) => i.status === "scheduled")
      .sort(byStart)
      .map(incidentView),
  };
}

async function incidentPageView(db: Db, id: string): Promise<IncidentPageView | null> {
  try {
    const [page, record] = await Promise.all([pageInfo(db), getIncident(db, id)]);
    return { page, incident: incidentView(record) };
  } catch {
    return null;
  }
}

const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

function monthLabel(month: string): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  return date.toLocaleString("en-US", { month: "long", year: "numeric", timeZone: "UTC" });
}

async function historyMonths(db: Db): Promise<HistoryMonth[]> {
  const month = sql<string>`substr(${incidents.startedAt}, 1, 7)`;
  const rows = await db
    .select({ month, count: sql<number>`count(*)` })
    .from(incidents)
    .groupBy(month)
    .orderBy(desc(month));
  return rows.map((r) => ({ month: r.month, label: monthLabel(r.month), count: Number(r.count) }));
}

async function historyIndexView(db: Db): Promise<HistoryIndexView> {
  const [page, months] = await Promise.all([pageInfo(db), historyMonths(db)]);
  return { page, months };
}

/** Every incident and maintenance that started in one month, newest first: history is never capped. */
async function historyMonthView(db: Db, month: string): Promise<HistoryMonthView | null> {
  if (!MONTH_PATTERN.test(month)) return null;
  const [page, months] = await Promise.all([pageInfo(db), historyMonths(db)]);
  const at = months.findIndex((m) => m.month === month);
  const current = months[at];
  if (!current) return null;
  const rows = await db
    .select()
    .from(incidents)
    .where(sql`substr(${incidents.startedAt}, 1, 7) = ${month}`)
    .orderBy(desc(incidents.startedAt), desc(incidents.id));
  return {
    page,
    month: current,
    incidents: (await loadIncidentRecords(db, rows)).map(incidentView),
    newer: months[at - 1] ?? null,
    older: months[at + 1] ?? null,
  };
}
