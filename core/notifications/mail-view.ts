import { and, asc, desc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { components, deliveries, notificationEvents, subscriberComponents, subscribers } from "../../db/schema.ts";
import { HeraldError } from "../actions/errors.ts";
import { consoleIncidentPath } from "../console/paths.ts";
import { escalationFacts } from "../escalation/told-already.ts";
import { getIncident } from "../incidents/load-incidents.ts";
import type { IncidentRecord, PageRow } from "../model/rows.ts";
import { getPage } from "../page/get-page.ts";
import { formatTime } from "../presentation/time.ts";
import { paths, publicUrl } from "../public/paths.ts";
import { incidentView } from "../public/views/shared.ts";
import { weeklyReviewMailView } from "../review/weekly/mail-view.ts";
import { componentMailView } from "./component/mail-view.ts";
import { isComponentKind } from "./component/notice-facts.ts";
import { draftMailView, isDraftKind } from "./draft-mail-view.ts";
import { EVENTS, isNotificationKind, NOTIFICATION_KINDS, type NotificationKind } from "./events.ts";
import { incidentModel } from "./incident-mail-model.ts";
import { hostOf, mailSender } from "./mail-sender.ts";
import type {
  MailBody,
  MailComponent,
  MailIncident,
  MailModel,
  MailSettings,
  MailView,
  NotificationEventRow,
} from "./mail-types.ts";

export type { MailBody, MailComponent, MailIncident, MailModel, MailSettings, MailView, NotificationEventRow };

/** The kinds whose mails share the incident's thread: the first of them starts it (never a team reminder). */
const THREADED = NOTIFICATION_KINDS.filter((kind) => EVENTS[kind].threads);

/** How long a confirmation link works (core/subscribers/signed-links.ts signs it so). */
const CONFIRM_LINK_VALID_MS = 48 * 60 * 60 * 1000;

/**
 * Reads what a mail about `event` shows, from the same view models as the page. Null when there is
 * nothing to tell any more (its incident, update or subscriber is gone).
 */
export async function loadMailView(
  db: Db,
  event: NotificationEventRow,
  settings: MailSettings = {},
): Promise<MailView | null> {
  const kind = event.kind;
  // A newer Herald's kind reaches no one (events.ts), so it has nothing to show.
  if (!isNotificationKind(kind)) return null;
  const page = await getPage(db);
  const host = new URL(page.url).hostname || "herald.invalid";
  const base = {
    eventId: event.id,
    kind,
    host,
    from: mailSender(page, settings.mailFrom, host),
  };
  const pageModel = { name: page.name, url: page.url };
  const empty = {
    incident: null,
    update: null,
    body: null,
    reminder: null,
    confirm: null,
    webhook: null,
    draft: null,
    escalation: null,
  };
  const links = { page: publicUrl(page, paths.index()), incident: null, console: null };

  if (kind === "subscription.confirm" || kind === "webhook.disabled") {
    if (!event.subscriberId) return null;
    const [subscriber] = await db.select().from(subscribers).where(eq(subscribers.id, event.subscriberId));
    if (!subscriber) return null;
    if (kind === "subscription.confirm") {
      const names = subscriber.allComponents
        ? []
        : (
            await db
              .select({ name: components.name })
              .from(subscriberComponents)
              .innerJoin(components, eq(components.id, subscriberComponents.componentId))
              .where(eq(subscriberComponents.subscriberId, subscriber.id))
              .orderBy(asc(components.position), asc(components.name))
          ).map((row) => row.name);
      const expiresAt = new Date(Date.parse(event.createdAt) + CONFIRM_LINK_VALID_MS).toISOString();
      return {
        ...base,
        threadEventId: null,
        links,
        model: {
          ...empty,
          page: pageModel,
          preheader: `Confirm that you want updates from ${page.name}.`,
          confirm: {
            allComponents: subscriber.allComponents,
            components: names,
            expiresAt: formatTime(expiresAt, page.timeZone),
            webhook: subscriber.channel === "webhook" ? { host: hostOf(subscriber.address) } : null,
          },
        },
      };
    }
    const [last] = await db
      .select({ reply: deliveries.serverReply, error: deliveries.lastError })
      .from(deliveries)
      .where(and(eq(deliveries.subscriberId, subscriber.id), isNotNull(deliveries.lastError)))
      .orderBy(desc(deliveries.createdAt))
      .limit(1);
    return {
      ...base,
      threadEventId: null,
      links,
      model: {
        ...empty,
        page: pageModel,
        preheader: `${page.name} stopped sending to your webhook after it kept failing.`,
        webhook: {
          url: subscriber.address,
          host: hostOf(subscriber.address),
          failingSince: subscriber.failingSince ? formatTime(subscriber.failingSince, page.timeZone) : null,
          lastReply: last ? (last.reply ?? last.error) : null,
        },
      },
    };
  }

  if (isDraftKind(kind)) return draftMailView(db, page, base, event, settings.consoleOrigin);
  if (kind === "review.weekly") return weeklyReviewMailView(db, page, base, event, settings.consoleOrigin);
  if (isComponentKind(kind)) return componentMailView(db, page, base, event);
  if (!event.incidentId) return null;
  const threads = EVENTS[kind].threads;
  const [record, first] = await Promise.all([
    getIncident(db, event.incidentId).catch(nullIfNotFound),
    threads
      ? db
          .select({ id: notificationEvents.id })
          .from(notificationEvents)
          .where(and(eq(notificationEvents.incidentId, event.incidentId), inArray(notificationEvents.kind, THREADED)))
          .orderBy(asc(notificationEvents.createdAt), asc(notificationEvents.id))
          .limit(1)
      : [],
  ]);
  if (!record) return null;
  const view = incidentMailView(
    page,
    base,
    event,
    record,
    threads ? (first[0]?.id ?? event.id) : null,
    settings.consoleOrigin,
  );
  const escalation =
    kind === "incident.update_overdue" || kind === "incident.escalated" ? await escalationFacts(db, event.id) : null;
  return view && { ...view, model: { ...view.model, escalation } };
}

/**
 * The mail an event about `record` would send, for the console's preview: the same model and templates
 * as a sent one, for a change planned and not committed (`record` is the incident as it would be).
 */
export function previewIncidentMailView(
  page: PageRow,
  kind: NotificationKind,
  record: IncidentRecord,
  updateId: string | null,
  now: Date,
  settings: MailSettings = {},
): MailView | null {
  const host = new URL(page.url).hostname || "herald.invalid";
  const base = { eventId: "preview", kind, host, from: mailSender(page, settings.mailFrom, host) };
  const event = { createdAt: now.toISOString(), updateId };
  return incidentMailView(page, base, event, record, null, settings.consoleOrigin);
}

function incidentMailView(
  page: PageRow,
  base: Pick<MailView, "eventId" | "kind" | "host" | "from">,
  event: Pick<NotificationEventRow, "createdAt" | "updateId">,
  record: IncidentRecord,
  threadEventId: string | null,
  consoleOrigin: string | undefined,
): MailView | null {
  const incident = incidentView(record);
  const index = event.updateId ? incident.updates.findIndex((u) => u.id === event.updateId) : -1;
  if (event.updateId && index < 0) return null;
  const update = index >= 0 ? incident.updates[index] : undefined;
  const model = incidentModel(base.kind, event, record, incident, update, index, page.timeZone);
  return {
    ...base,
    threadEventId,
    links: {
      page: publicUrl(page, paths.index()),
      incident: publicUrl(page, paths.incident(incident.id)),
      // Only the team's mail links into the console: a subscriber has no use for it.
      console:
        EVENTS[base.kind].audience === "team" || base.kind === "incident.escalated"
          ? `${(consoleOrigin ?? page.url).replace(/\/+$/, "")}${consoleIncidentPath(incident.id)}#post`
          : null,
    },
    model: {
      ...model,
      confirm: null,
      webhook: null,
      draft: null,
      escalation: null,
      page: { name: page.name, url: page.url },
    },
  };
}

function nullIfNotFound(error: unknown): IncidentRecord | null {
  if (error instanceof HeraldError && error.kind === "not_found") return null;
  throw error;
}
