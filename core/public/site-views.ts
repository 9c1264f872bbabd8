import { desc, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { incidents } from "../../db/schema.ts";
import {
  countIncidentsTouching,
  getIncident,
  listIncidentsTouching,
  loadIncidentRecords,
} from "../incidents/load-incidents.ts";
import { htmlToText } from "../markdown.ts";
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
import { maintenanceCalendar } from "./calendar.ts";
import { atomFeed, type FeedScope, rssFeed } from "./feeds.ts";
import { liveReads, type PublicReads, passReads } from "./reads.ts";
import {
  buildV2Document,
  effectiveStatus,
  orderComponents,
  pageStatus,
  serializeV2,
  type V2DocumentName,
} from "./statuspage.ts";
import { loadUptimes, type UptimeView } from "./uptime-views.ts";

/** View models for the public site: the same data the v2 JSON serves, shaped for pages. */
export type ComponentView = {
  id: string;
  name: string;
  description: string | null;
  status: ComponentStatus;
  statusLabel: string;
  isGroup: boolean;
  /** 90-day uptime, for showcased components (never for groups). */
  uptime: UptimeView | null;
  children: ComponentView[];
};

export type UpdateView = {
  id: string;
  status: UpdateStatus;
  statusLabel: string;
  bodyHtml: string;
  /** The update as plain text, at most ~200 characters: for lists and previews. */
  excerpt: string;
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
  /** "Next update by": set while the commander's promise stands. */
  nextUpdateDueAt: string | null;
  /** Published postmortem (sanitized HTML), or null. */
  postmortemHtml: string | null;
  postmortemPublishedAt: string | null;
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
  /** The latest resolved incidents and completed maintenances. */
  recent: IncidentView[];
};

export type HistoryMonth = { month: string; label: string; count: number; incidents: number; maintenances: number };
export type HistoryIndexView = { page: PageInfo; months: HistoryMonth[] };
export type HistoryMonthView = {
  page: PageInfo;
  month: HistoryMonth;
  incidents: IncidentView[];
  newer: HistoryMonth | null;
  older: HistoryMonth | null;
};
export type IncidentPageView = { page: PageInfo; incident: IncidentView };
export type ComponentPageView = {
  page: PageInfo;
  component: ComponentView;
  group: { id: string; name: string } | null;
  /** The latest incidents and maintenances that touched the component, newest first. */
  incidents: IncidentView[];
  /** How many touched it in all (the full list is in the history and the component's feed). */
  incidentCount: number;
};
export type FeedFormat = "rss" | "atom";

/** What site pages read through `Astro.locals.site`. */
export type SiteData = {
  index(): Promise<IndexView>;
  incident(id: string): Promise<IncidentPageView | null>;
  historyIndex(): Promise<HistoryIndexView>;
  historyMonth(month: string): Promise<HistoryMonthView | null>;
  component(id: string): Promise<ComponentPageView | null>;
  /** The page's feed, or one component's when `componentId` is given (null: no such component). */
  feed(format: FeedFormat, componentId?: string): Promise<string | null>;
  maintenanceCalendar(): Promise<string>;
  v2(name: V2DocumentName): Promise<string>;
};

/**
 * The site's data for one render pass. The reads every page shares (page, components, incident lists)
 * run once per instance: make a new one for every pass (see `passReads`).
 */
export function createSiteData(db: Db): SiteData {
  const reads = passReads(db);
  return {
    index: () => indexView(reads),
    incident: (id) => incidentPageView(reads, id),
    historyIndex: () => historyIndexView(reads),
    historyMonth: (month) => historyMonthView(reads, month),
    component: (id) => componentPageView(reads, id),
    feed: (format, componentId) => feedDocument(reads, format, componentId),
    maintenanceCalendar: async () =>
      maintenanceCalendar(await reads.page(), await reads.incidents({ kind: "maintenance", limit: FEED_ITEMS })),
    v2: async (name) => serializeV2(await buildV2Document(reads, name)),
  };
}

/**
 * Every component's 90-day uptime exactly as the pages show it now. The renderer compares it between
 * changes to re-render the component pages whose bars or percentage moved (time passes too).
 */
export async function componentUptimes(db: Db): Promise<Map<string, UptimeView>> {
  const reads = liveReads(db);
  const [page, components] = await Promise.all([pageInfo(reads), reads.components()]);
  return loadUptimes(db, components, page.updatedAt);
}

async function pageInfo(reads: PublicReads): Promise<PageInfo> {
  const page = await reads.page();
  return { name: page.name, url: page.url, updatedAt: page.updatedAt };
}

/** One component (a group with all its components), whether or not the index would show it. */
function componentView(c: ComponentRow, all: ComponentRow[], uptimes: Map<string, UptimeView>): ComponentView {
  const status = effectiveStatus(c, all);
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    status,
    statusLabel: COMPONENT_STATUS_LABELS[status],
    isGroup: c.isGroup,
    uptime: c.showcase && !c.isGroup ? (uptimes.get(c.id) ?? null) : null,
    children: c.isGroup
      ? orderComponents(all)
          .filter((child) => child.groupId === c.id)
          .map((child) => componentView(child, all, uptimes))
      : [],
  };
}

/** The index's components: top level in page order, hiding those shown only when degraded and operational. */
function componentViews(all: ComponentRow[], uptimes: Map<string, UptimeView>): ComponentView[] {
  const hidden = new Set(
    all.filter((c) => c.onlyShowIfDegraded && effectiveStatus(c, all) === "operational").map((c) => c.id),
  );
  return orderComponents(all)
    .filter((c) => c.groupId === null && !hidden.has(c.id))
    .map((c) => componentView(c, all, uptimes))
    .map((v) => ({ ...v, children: v.children.filter((child) => !hidden.has(child.id)) }));
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
    nextUpdateDueAt: record.nextUpdateDueAt,
    postmortemHtml: record.postmortemPublishedAt ? record.postmortemHtml : null,
    postmortemPublishedAt: record.postmortemPublishedAt,
    updates: record.updates.map((u) => {
      // Computed when read: lists show one excerpt per incident, and sanitizing every update of a
      // 1,000-incident component page costs ~0.3 s.
      let text: string | undefined;
      return {
        id: u.id,
        status: u.status as UpdateStatus,
        statusLabel: UPDATE_STATUS_LABELS[u.status as UpdateStatus],
        bodyHtml: u.bodyHtml,
        get excerpt() {
          text ??= excerpt(u.bodyHtml);
          return text;
        },
        displayAt: u.displayAt,
        affected: u.componentChanges.map((c) => ({
          id: c.componentId,
          name: c.componentName,
          oldStatus: c.oldStatus as ComponentStatus,
          newStatus: c.newStatus as ComponentStatus,
          newStatusLabel: COMPONENT_STATUS_LABELS[c.newStatus as ComponentStatus],
        })),
      };
    }),
    components: record.affectedComponents,
  };
}

const RECENT_ITEMS = 5;
/** A component page lists this many recent incidents: one that lists a thousand is slow to render and to read. */
const COMPONENT_PAGE_ITEMS = 25;
const FEED_ITEMS = 50;

function excerpt(html: string): string {
  // Blocks (paragraphs, list items) become sentences of one line, so list items do not run together.
  const text = htmlToText(html)
    .split(/\n+/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => (/[.!?:;…]$/.test(line) ? line : `${line};`))
    .join(" ")
    .replace(/;$/, ".")
    .replace(/\s+/g, " ");
  return text.length <= 200 ? text : `${text.slice(0, 199).replace(/\s+\S*$/, "")}…`;
}

async function indexView(reads: PublicReads): Promise<IndexView> {
  const [page, components, open, recent] = await Promise.all([
    pageInfo(reads),
    reads.components(),
    reads.open(),
    reads.incidents({ closed: true, limit: RECENT_ITEMS, latestUpdateOnly: true }),
  ]);
  const uptimes = await loadUptimes(reads.db, components, page.updatedAt);
  const maintenances = open.filter((i) => i.kind === "maintenance");
  const byStart = (a: IncidentRecord, b: IncidentRecord) => a.startedAt.localeCompare(b.startedAt);
  return {
    page,
    status: pageStatus(components, open),
    components: componentViews(components, uptimes),
    openIncidents: open.filter((i) => i.kind === "incident").map(incidentView),
    activeMaintenances: maintenances
      .filter((i) => i.status !== "scheduled")
      .sort(byStart)
      .map(incidentView),
    upcomingMaintenances: maintenances
      .filter((i) => i.status === "scheduled")
      .sort(byStart)
      .map(incidentView),
    recent: recent.map(incidentView),
  };
}

async function componentPageView(reads: PublicReads, id: string): Promise<ComponentPageView | null> {
  const [page, components] = await Promise.all([pageInfo(reads), reads.components()]);
  const row = components.find((c) => c.id === id);
  if (!row) return null;
  const uptimes = await loadUptimes(
    reads.db,
    row.isGroup ? components.filter((c) => c.groupId === id) : [row],
    page.updatedAt,
  );
  const group = row.groupId ? components.find((c) => c.id === row.groupId) : undefined;
  const touching = row.isGroup ? components.filter((c) => c.groupId === id).map((c) => c.id) : [id];
  return {
    page,
    component: componentView(row, components, uptimes),
    group: group ? { id: group.id, name: group.name } : null,
    incidents: (
      await listIncidentsTouching(reads.db, touching, { limit: COMPONENT_PAGE_ITEMS, latestUpdateOnly: true })
    ).map(incidentView),
    incidentCount: await countIncidentsTouching(reads.db, touching),
  };
}

async function feedDocument(reads: PublicReads, format: FeedFormat, componentId?: string): Promise<string | null> {
  const page = await reads.page();
  let scope: FeedScope = {
    title: `${page.name} status history`,
    selfPath: `/history.${format}`,
    linkPath: "/history/",
  };
  let records: IncidentRecord[];
  if (componentId === undefined) {
    records = await reads.incidents({ limit: FEED_ITEMS });
  } else {
    const all = await reads.components();
    const component = all.find((c) => c.id === componentId);
    if (!component) return null;
    scope = {
      title: `${page.name}: ${component.name} status history`,
      selfPath: `/components/${component.id}/history.${format}`,
      linkPath: `/components/${component.id}/`,
    };
    // A group's feed, like its page, carries what touched its components.
    const touching = component.isGroup
      ? all.filter((c) => c.groupId === component.id).map((c) => c.id)
      : [component.id];
    records = await listIncidentsTouching(reads.db, touching, { limit: FEED_ITEMS });
  }
  return format === "rss" ? rssFeed(page, scope, records) : atomFeed(page, scope, records);
}

async function incidentPageView(reads: PublicReads, id: string): Promise<IncidentPageView | null> {
  try {
    const [page, record] = await Promise.all([pageInfo(reads), getIncident(reads.db, id)]);
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

async function historyMonths(reads: PublicReads): Promise<HistoryMonth[]> {
  const month = sql<string>`substr(${incidents.startedAt}, 1, 7)`;
  const rows = await reads.db
    .select({
      month,
      count: sql<number>`count(*)`,
      maintenances: sql<number>`sum(${incidents.kind} = 'maintenance')`,
    })
    .from(incidents)
    .groupBy(month)
    .orderBy(desc(month));
  return rows.map((r) => ({
    month: r.month,
    label: monthLabel(r.month),
    count: Number(r.count),
    incidents: Number(r.count) - Number(r.maintenances),
    maintenances: Number(r.maintenances),
  }));
}

async function historyIndexView(reads: PublicReads): Promise<HistoryIndexView> {
  const [page, months] = await Promise.all([pageInfo(reads), historyMonths(reads)]);
  return { page, months };
}

/** Every incident and maintenance that started in one month, newest first: history is never capped. */
async function historyMonthView(reads: PublicReads, month: string): Promise<HistoryMonthView | null> {
  if (!MONTH_PATTERN.test(month)) return null;
  const [page, months] = await Promise.all([pageInfo(reads), historyMonths(reads)]);
  const at = months.findIndex((m) => m.month === month);
  const current = months[at];
  if (!current) return null;
  const rows = await reads.db
    .select()
    .from(incidents)
    .where(sql`substr(${incidents.startedAt}, 1, 7) = ${month}`)
    .orderBy(desc(incidents.startedAt), desc(incidents.id));
  return {
    page,
    month: current,
    incidents: (await loadIncidentRecords(reads.db, rows, { latestUpdateOnly: true })).map(incidentView),
    newer: months[at - 1] ?? null,
    older: months[at + 1] ?? null,
  };
}
