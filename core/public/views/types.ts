import type { ComponentStatus, Impact, PageStatus, UpdateStatus } from "../../model/statuses.ts";
import type { FeedFormat, V2DocumentName } from "../paths.ts";
import type { UptimeView } from "../uptime-views.ts";

export type { FeedFormat };

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
  /** Deprecated (a notice until the sunset date) or sunset (left the page; its own page keeps its history). */
  retirement: Retirement | null;
};

/** A component's retirement as the page says it (docs/inventory.md, Sunsetting). */
export type Retirement = {
  stage: "deprecated" | "sunset";
  /** When it leaves the page, or when it left. */
  sunsetAt: string;
  /** The team's message, sanitized HTML; empty when there is none. */
  messageHtml: string;
};

export type UpdateView = {
  id: string;
  status: UpdateStatus;
  statusLabel: string;
  bodyHtml: string;
  /** The instants a template may have written into the text (the update's promise, the window), in order. */
  times: string[];
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

export type PageInfo = {
  name: string;
  url: string;
  updatedAt: string;
  /** IANA zone the page shows times in before (or without) its script rewrites them into the reader's. */
  timeZone: string;
  logoUrl: string | null;
  faviconUrl: string | null;
  /** The brand colour of links and buttons in each colour scheme, both readable (4.5:1); null: Herald's. */
  brand: { light: string; dark: string } | null;
  supportUrl: string | null;
  /** The API's public address when it is not the page's origin (the subscribe form posts there); null: the page's. */
  apiUrl: string | null;
  /** The page publishes `/reliability/` (the setting `public_reliability`): the footer links it. */
  reliability: boolean;
};

export type IndexView = {
  page: PageInfo;
  status: PageStatus;
  components: ComponentView[];
  openIncidents: IncidentView[];
  activeMaintenances: IncidentView[];
  upcomingMaintenances: IncidentView[];
  /** Active incidents and maintenances in progress, then the latest resolved and completed ones. */
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
  /** The latest incidents and maintenances that touched the component: open ones first, then newest first. */
  incidents: IncidentView[];
  /** How many touched it in all (the full list is in the history and the component's feed). */
  incidentCount: number;
};

/** One component's figure over one window of the reliability page. */
export type ReliabilityFigure = {
  percent: number | null;
  /** "99.95%", or "No data" before tracking began. */
  label: string;
  /** "Nov 26, 2026" when tracking began inside the window (the figure covers only that); else null. */
  since: string | null;
};
export type ReliabilityRow = {
  id: string;
  name: string;
  /** The group's name, when the component is in one. */
  group: string | null;
  /** One per window, in the windows' order. */
  uptime: ReliabilityFigure[];
  /** Incidents that touched it and began in each window. */
  incidents: number[];
};
export type ReliabilityPageView = {
  page: PageInfo;
  /** The instant the figures are as of: the page's last change (a new UTC day is one). */
  asOf: string;
  /** 30, 90 and 365 days: each the last so many UTC days up to `asOf`, starting at `from`. */
  windows: { days: number; label: string; from: string }[];
  rows: ReliabilityRow[];
  /** Incidents that began in each window, whatever they touched. */
  incidents: number[];
};

/** What site pages read through `Astro.locals.site`. */
export type SiteData = {
  /** The page's name, address and settings, as every page shows them. */
  page(): Promise<PageInfo>;
  index(): Promise<IndexView>;
  incident(id: string): Promise<IncidentPageView | null>;
  historyIndex(): Promise<HistoryIndexView>;
  historyMonth(month: string): Promise<HistoryMonthView | null>;
  component(id: string): Promise<ComponentPageView | null>;
  /** The page's feed, or one component's when `componentId` is given (null: no such component). */
  feed(format: FeedFormat, componentId?: string): Promise<string | null>;
  maintenanceCalendar(): Promise<string>;
  v2(name: V2DocumentName): Promise<string>;
  subscribe(): Promise<SubscribePageView>;
  /** The public reliability page; null when the page setting `public_reliability` is off. */
  reliability(): Promise<ReliabilityPageView | null>;
};

/** A component or group a subscriber can choose (a group covers its members). */
export type ScopeChoice = { id: string; name: string; isGroup: boolean; inGroup: boolean };
export type SubscribePageView = { page: PageInfo; choices: ScopeChoice[] };
