import type { ComponentStatus, PageStatus, UpdateStatus } from "../../model/statuses.ts";
import type { V2Incident } from "../../public/statuspage.ts";
import type { WebhookKind, WebhookPostmortem } from "./contract.ts";

/** Everything a webhook payload shows, built once per event from the same serializers as /api/v2. */
export type WebhookEventView = {
  /** The stored event; `name` is its webhook event type (`herald.event`). */
  event: { id: string; kind: WebhookKind; name: string; createdAt: string; updateId: string | null };
  page: { id: string; name: string; url: string; status: PageStatus };
  /** The incident or maintenance exactly as v2 JSON shows it (updates newest first). */
  incident: V2Incident;
  /** The update this event is about (the newest one when the event names none), as plain text. */
  update: { status: UpdateStatus; text: string; displayAt: string } | null;
  /** The event's label (core/notifications/events.ts): `Identified`, `Resolved`, `Scheduled maintenance`, … */
  statusLabel: string;
  /** The event's subject, as the mail's: `[Identified] Elevated API latency`. */
  subject: string;
  /** The affected components with their current status, for chat messages. */
  components: { name: string; status: ComponentStatus }[];
  /** The published postmortem (the whole text, for `postmortem.published`); null before it is published. */
  postmortem: WebhookPostmortem | null;
  /** The promised next update ("Next update by"); an overdue event is about this time. */
  nextUpdateDueAt: string | null;
  /** Links that are the same for every subscriber; `manage` and `unsubscribe` are signed per subscriber. */
  links: { incident: string; documentation: string };
};

/** One webhook subscriber's own signed links. */
export type SubscriberLinks = { manage: string; unsubscribe: string };
