import type { Db } from "../../../db/client.ts";
import { listComponents } from "../../components/load-components.ts";
import { getIncident, listIncidents } from "../../incidents/load-incidents.ts";
import { getPage } from "../../page/get-page.ts";
import { paths, publicUrl } from "../../public/paths.ts";
import { effectiveStatus, pageStatus, v2Incident } from "../../public/statuspage.ts";
import { UPDATE_STATUS_LABELS, type UpdateStatus } from "../../statuses.ts";
import { eventContract } from "../events.ts";
import { chatText } from "../plain-text.ts";
import type { WebhookEventView } from "./view.ts";

/** What a webhook event names: its kind, incident and update (a stored `notification_events` row fits). */
export type WebhookEventSource = { kind: string; incidentId: string | null; updateId: string | null };

/**
 * The view every format is built from, read once per event with the /api/v2 serializers, so a webhook
 * and the JSON API can never disagree. Null when the event has no incident (or it is gone).
 */
export async function buildWebhookEventView(
  db: Db,
  event: WebhookEventSource,
  links: { unsubscribe?: string | undefined } = {},
): Promise<WebhookEventView | null> {
  const contract = eventContract(event.kind);
  if (!event.incidentId || !contract) return null;
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
  const text =
    event.kind === "postmortem.published" && record.postmortemHtml
      ? chatText(record.postmortemHtml)
      : update
        ? chatText(update.bodyHtml)
        : "";
  const facts = {
    page: page.name,
    incident: record.name,
    status: UPDATE_STATUS_LABELS[(update?.status ?? record.status) as UpdateStatus] ?? null,
    webhookHost: null,
  };
  return {
    page: { id: page.id, name: page.name, url: page.url, status: pageStatus(components, open) },
    incident,
    update: update ? { status: update.status, text, displayAt: update.displayAt } : null,
    statusLabel: contract.label(facts),
    subject: contract.subject(facts),
    components: record.componentIds.flatMap((id) => {
      const component = byId.get(id);
      return component ? [{ name: component.name, status: effectiveStatus(component, components) }] : [];
    }),
    links: {
      incident: publicUrl(page, paths.incident(record.id)),
      unsubscribe: links.unsubscribe ?? publicUrl(page, "/subscribe/"),
      documentation: publicUrl(page, "/subscribe/"),
    },
  };
}
