import type { Db } from "../../../db/client.ts";
import { listComponents } from "../../components/load-components.ts";
import { listIncidents } from "../../incidents/load-incidents.ts";
import { EVENTS } from "../../notifications/events.ts";
import type { ReviewWebhookView } from "../../notifications/webhook/review-payloads.ts";
import { getPage } from "../../page/get-page.ts";
import { pageStatus } from "../../public/statuspage.ts";
import { weeklyFacts } from "./mail-view.ts";
import { weeklyReviewOf } from "./schedule.ts";

/**
 * The weekly review as the team's webhooks get it, from the week's claim event (`rw-<week>`, the one fan-out
 * lists to the team's webhooks); null for any other id. The same facts as the mail.
 */
export async function buildReviewWebhookView(
  db: Db,
  event: { id: string; createdAt: string },
  consoleOrigin: string,
  documentation: string,
): Promise<ReviewWebhookView | null> {
  const about = weeklyReviewOf(event.id);
  if (about?.copy !== "webhooks") return null;
  const [page, components, open] = await Promise.all([
    getPage(db),
    listComponents(db),
    listIncidents(db, { open: true }),
  ]);
  const { facts } = await weeklyFacts(db, page, about.week, event.createdAt, consoleOrigin);
  const status = pageStatus(components, open);
  return {
    event: { id: event.id, name: "review.weekly", createdAt: event.createdAt },
    page: { id: page.id, name: page.name, status: { indicator: status.indicator, description: status.description } },
    subject: EVENTS["review.weekly"].subject({ page: page.name, incident: null, status: null, webhookHost: null }),
    review: facts,
    documentation,
  };
}
