import type { ComponentRow, IncidentRecord } from "../../model/rows.ts";
import { brandColors } from "../../page/brand-color.ts";
import { componentLook, impactLook, updateStatusLook } from "../../presentation/status.ts";
import { htmlToText } from "../../text/markdown.ts";
import type { PublicReads } from "../reads.ts";
import { onPage, retirementOf } from "../retirement.ts";
import { effectiveStatus, orderComponents } from "../statuspage.ts";
import type { UptimeView } from "../uptime-views.ts";
import type { ComponentView, IncidentView, PageInfo } from "./types.ts";

export const RECENT_ITEMS = 5;
/** A component page lists this many recent incidents: one that lists a thousand is slow to render and to read. */
export const COMPONENT_PAGE_ITEMS = 25;
export const FEED_ITEMS = 50;

export async function pageInfo(reads: PublicReads): Promise<PageInfo> {
  const page = await reads.page();
  return {
    name: page.name,
    url: page.url,
    updatedAt: page.updatedAt,
    timeZone: page.timeZone,
    logoUrl: page.logoUrl,
    faviconUrl: page.faviconUrl,
    brand: page.brandColor ? brandColors(page.brandColor) : null,
    supportUrl: page.supportUrl,
    apiUrl: page.apiUrl,
    reliability: page.publicReliability,
  };
}

/** One component (a group with all its components), whether or not the index would show it. */
export function componentView(c: ComponentRow, all: ComponentRow[], uptimes: Map<string, UptimeView>): ComponentView {
  const status = effectiveStatus(c, all);
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    status,
    statusLabel: componentLook(status).label,
    isGroup: c.isGroup,
    uptime: c.showcase && !c.isGroup ? (uptimes.get(c.id) ?? null) : null,
    children: c.isGroup
      ? orderComponents(onPage(all))
          .filter((child) => child.groupId === c.id)
          .map((child) => componentView(child, all, uptimes))
      : [],
    retirement: retirementOf(c),
  };
}

/** The index's components: top level in page order, hiding those shown only when degraded and operational. */
export function componentViews(rows: ComponentRow[], uptimes: Map<string, UptimeView>): ComponentView[] {
  const all = onPage(rows);
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
    status: record.status,
    statusLabel: updateStatusLook(record.status).label,
    impact: record.impact,
    impactLabel: impactLook(record.impact).label,
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
        status: u.status,
        statusLabel: updateStatusLook(u.status).label,
        bodyHtml: u.bodyHtml,
        times: [
          u.nextUpdateInMinutes === null
            ? null
            : new Date(Date.parse(u.displayAt) + u.nextUpdateInMinutes * 60_000).toISOString(),
          record.scheduledFor,
          record.scheduledUntil,
        ].filter((at): at is string => at !== null),
        get excerpt() {
          text ??= excerpt(u.bodyHtml);
          return text;
        },
        displayAt: u.displayAt,
        affected: u.componentChanges.map((c) => ({
          id: c.componentId,
          name: c.componentName,
          oldStatus: c.oldStatus,
          newStatus: c.newStatus,
          newStatusLabel: componentLook(c.newStatus).label,
        })),
      };
    }),
    components: record.affectedComponents,
  };
}

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
