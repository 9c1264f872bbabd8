import type { Db } from "../../../db/client.ts";
import { listComponents } from "../../components/load-components.ts";
import { getIncident, listIncidents } from "../../incidents/load-incidents.ts";
import { getPage } from "../../page/get-page.ts";
import { updateStatusLook } from "../../presentation/status.ts";
import { paths, publicUrl } from "../../public/paths.ts";
import { effectiveStatus, pageStatus, v2Incident } from "../../public/statuspage.ts";
import { lapsedPromiseOf } from "../../scheduler/overdue-reminders.ts";
import { EVENTS } from "../events.ts";
import { chatText } from "../plain-text.ts";
import { isWebhookKind, webhookEventOf } from "./contract.ts";
import type { WebhookEventView } from "./view.ts";

/** What a webhook event names (a stored `notification_events` row fits). */
export type WebhookEventSource = {
  id: string;
  kind: string;
  incidentId: string | null;
  updateId: string | null;
  createdAt: string;
};

/** The machine-readable description of every payload: the OpenAPI document's `webhooks`, served by the API. */
export function webhookDocumentationUrl(apiOrigin: string): string {
  return `${apiOrigin.replace(/\/+$/, "")}/api/openapi.json`;
}

/**
 * The view every format is built from, read once per event with the /api/v2 serializers, so a webhook
 * and the JSON API can never disagree. Null when the event is not POSTed to webhooks or has no incident
 * (or it is gone). `apiOrigin` serves the documentation (and the subscribers' signed links).
 */
export async function buildWebhookEventView(
  db: Db,
  event: WebhookEventSource,
  apiOrigin: string,
): Promise<WebhookEventView | null> {
  const kind = event.kind;
  if (!event.incidentId || !isWebhookKind(kind)) return null;
  const contract = EVENTS[kind];
  const record = await getIncident(db, event.incidentId).catch(() => null);
  if (!record) return null;
  const [page, components, open] = await Promise.all([
    getPage(db),
    listComponents(db),
    listIncidents(db, { open: true }),
  ]);
  const incident = v2Incident(record, components, page);
  const update = record.updates.find((u) => u.id === event.updateId) ?? record.updates[0] ?? null;
  const byId = new Map(components.map((c) => [c.id, c]));
  const postmortem =
    record.postmortemPublishedAt && record.postmortemMd !== null && record.postmortemHtml !== null
      ? { body: record.postmortemMd, body_html: record.postmortemHtml, published_at: record.postmortemPublishedAt }
      : null;
  const text =
    event.kind === "postmortem.published" && postmortem
      ? chatText(postmortem.body_html)
      : update
        ? chatText(update.bodyHtml)
        : "";
  const facts = {
    page: page.name,
    incident: record.name,
    status: updateStatusLook(update?.status ?? record.status)?.label ?? null,
    webhookHost: null,
  };
  return {
    event: { id: event.id, kind, name: webhookEventOf(kind), createdAt: event.createdAt, updateId: event.updateId },
    page: { id: page.id, name: page.name, url: page.url, status: pageStatus(components, open) },
    incident,
    update: update ? { status: update.status, text, displayAt: update.displayAt } : null,
    statusLabel: contract.label(facts),
    subject: contract.subject(facts),
    components: record.componentIds.flatMap((id) => {
      const component = byId.get(id);
      return component ? [{ name: component.name, status: effectiveStatus(component, components) }] : [];
    }),
    postmortem,
    // An overdue event is about the promise that lapsed, even when it is sent after the next update.
    nextUpdateDueAt:
      (event.kind === "incident.update_overdue" ? lapsedPromiseOf(event.id) : null) ?? record.nextUpdateDueAt,
    links: {
      incident: publicUrl(page, paths.incident(record.id)),
      documentation: webhookDocumentationUrl(apiOrigin),
    },
  };
}
