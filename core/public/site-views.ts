import type { Db } from "../../db/client.ts";
import { liveReads, passReads } from "./reads.ts";
import { buildV2Document, serializeV2 } from "./statuspage.ts";
import { loadUptimes, type UptimeView } from "./uptime-views.ts";
import { componentPageView } from "./views/component-page.ts";
import { feedDocument, maintenanceCalendarDocument } from "./views/documents.ts";
import { historyIndexView, historyMonthView } from "./views/history.ts";
import { incidentPageView } from "./views/incident-page.ts";
import { indexView } from "./views/index-page.ts";
import { reliabilityPageView } from "./views/reliability.ts";
import { pageInfo } from "./views/shared.ts";
import { subscribePageView } from "./views/subscribe-page.ts";
import type { SiteData } from "./views/types.ts";

export { incidentView } from "./views/shared.ts";
export type * from "./views/types.ts";

/**
 * The site's data for one render pass. The reads every page shares (page, components, incident lists)
 * run once per instance: make a new one for every pass (see `passReads`).
 */
export function createSiteData(db: Db): SiteData {
  const reads = passReads(db);
  return {
    page: () => pageInfo(reads),
    index: () => indexView(reads),
    incident: (id) => incidentPageView(reads, id),
    historyIndex: () => historyIndexView(reads),
    historyMonth: (month) => historyMonthView(reads, month),
    component: (id) => componentPageView(reads, id),
    feed: (format, componentId) => feedDocument(reads, format, componentId),
    maintenanceCalendar: () => maintenanceCalendarDocument(reads),
    v2: async (name) => serializeV2(await buildV2Document(reads, name)),
    subscribe: () => subscribePageView(reads),
    reliability: () => reliabilityPageView(reads),
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
