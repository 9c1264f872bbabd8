import { listIncidentsTouching } from "../../incidents/load-incidents.ts";
import type { IncidentRecord } from "../../model/rows.ts";
import { statusTitle } from "../../page/status-title.ts";
import { maintenanceCalendar } from "../calendar.ts";
import { atomFeed, type FeedScope, rssFeed } from "../feeds.ts";
import { paths } from "../paths.ts";
import type { PublicReads } from "../reads.ts";
import { retirementNotices } from "../retirement.ts";
import { FEED_ITEMS } from "./shared.ts";
import type { FeedFormat } from "./types.ts";

/** The page's RSS or Atom feed, or one component's (a group's covers its components); null: no such component. */
export async function feedDocument(
  reads: PublicReads,
  format: FeedFormat,
  componentId?: string,
): Promise<string | null> {
  const page = await reads.page();
  let scope: FeedScope = {
    title: `${statusTitle(page.name)} history`,
    selfPath: paths.feed(format),
    linkPath: paths.history(),
  };
  let records: IncidentRecord[];
  const all = await reads.components();
  let notices = retirementNotices(page, all);
  if (componentId === undefined) {
    records = await reads.incidents({ limit: FEED_ITEMS });
  } else {
    const component = all.find((c) => c.id === componentId);
    if (!component) return null;
    scope = {
      title: `${page.name}: ${component.name} status history`,
      selfPath: paths.componentFeed(component.id, format),
      linkPath: paths.component(component.id),
    };
    // A group's feed, like its page, carries what touched its components.
    const touching = component.isGroup
      ? all.filter((c) => c.groupId === component.id).map((c) => c.id)
      : [component.id];
    ({ records } = await listIncidentsTouching(reads.db, touching, { limit: FEED_ITEMS }));
    notices = notices.filter((n) => touching.includes(n.componentId));
  }
  return format === "rss" ? rssFeed(page, scope, records, notices) : atomFeed(page, scope, records, notices);
}

/** The maintenance windows as an iCalendar feed. */
export async function maintenanceCalendarDocument(reads: PublicReads): Promise<string> {
  return maintenanceCalendar(await reads.page(), await reads.incidents({ kind: "maintenance", limit: FEED_ITEMS }));
}
