import { and, asc, desc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { components, deliveries, notificationEvents, subscriberComponents, subscribers } from "../../db/schema.ts";
import { consoleIncidentPath } from "../console/paths.ts";
import { HeraldError } from "../errors.ts";
import { getIncident } from "../incidents/load-incidents.ts";
import { getPage } from "../page/get-page.ts";
import {
  componentLook,
  impactLook,
  KIND_LABELS,
  type Look,
  type Tone,
  updateStatusLook,
} from "../presentation/status.ts";
import { formatDuration, formatTime, formatTimeBeside, formatWindow } from "../presentation/time.ts";
import { paths, publicUrl } from "../public/paths.ts";
import { incidentView } from "../public/views/shared.ts";
import type { IncidentView, UpdateView } from "../public/views/types.ts";
import type { ComponentStatus } from "../statuses.ts";
import type { IncidentRecord, PageRow } from "../types.ts";
import { headerAddress, headerText } from "./email/header-text.ts";
import { EVENTS, isNotificationKind, NOTIFICATION_KINDS, type NotificationKind } from "./events.ts";
import { mailText } from "./plain-text.ts";

export type NotificationEventRow = typeof notificationEvents.$inferSelect;

/** The kinds whose mails share the incident's thread: the first of them starts it (never a team reminder). */
const THREADED = NOTIFICATION_KINDS.filter((kind) => EVENTS[kind].threads);

/** How long a confirmation link works (core/subscribers/signed-links.ts signs it so). */
const CONFIRM_LINK_VALID_MS = 48 * 60 * 60 * 1000;

export type MailIncident = {
  id: string;
  name: string;
  kindLabel: string;
  statusLabel: string;
  statusTone: Tone;
  statusSymbol: string;
  statusColor: string;
  /** "Major impact" for an incident; null for a maintenance (the page shows no impact tag for those). */
  impactText: string | null;
  impactTone: Tone;
  impactSymbol: string;
  impactColor: string;
  /** The maintenance window, formatted; null for an incident. */
  window: string | null;
  /** "Next update by", formatted as the page does; null when no promise stands for this mail. */
  nextUpdateBy: string | null;
  /** The components the incident touched, each with the status it had as of this mail's update. */
  components: { name: string; statusLabel: string; tone: Tone; symbol: string; color: string }[];
  hasComponents: boolean;
};

/** The text the mail carries: an update's or a postmortem's stored sanitized HTML and its text version. */
export type MailBody = { title: string; at: string; html: string; text: string };

/** What the templates see, apart from the subscriber's own links. */
export type MailModel = {
  page: { name: string; url: string };
  preheader: string;
  incident: MailIncident | null;
  update: { statusLabel: string } | null;
  body: MailBody | null;
  reminder: { startsIn: string } | null;
  confirm: {
    allComponents: boolean;
    components: string[];
    expiresAt: string;
    /** A self-serve webhook's confirmation (to its owner); null for a mail subscription. */
    webhook: { host: string } | null;
  } | null;
  webhook: { url: string; host: string; failingSince: string | null; lastReply: string | null } | null;
};

/**
 * Everything a mail about one event needs except who gets it: loaded once per event (a few queries),
 * then `buildEmail` is cheap for each of a fan-out's subscribers.
 */
export type MailView = {
  eventId: string;
  kind: NotificationKind;
  /** The incident's first threaded event: every later mail about it answers that one; null: a mail of its own. */
  threadEventId: string | null;
  /** The page's host: Message-ID domain and List-Id. */
  host: string;
  from: { name: string; address: string };
  /** Links that are the same for everyone: the page, the incident, and (team mails) its console screen. */
  links: { page: string; incident: string | null; console: string | null };
  model: MailModel;
};

export type MailSettings = {
  /** `MAIL_FROM`: the sender's address (a "Name <address>" form is accepted; the page's name is shown). */
  mailFrom?: string | undefined;
  /** Where Herald itself (the API and the console) is served, `PUBLIC_URL`; default the page's address. */
  consoleOrigin?: string | undefined;
};

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
  const empty = { incident: null, update: null, body: null, reminder: null, confirm: null, webhook: null };
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
  return incidentMailView(
    page,
    base,
    event,
    record,
    threads ? (first[0]?.id ?? event.id) : null,
    settings.consoleOrigin,
  );
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
        EVENTS[base.kind].audience === "team"
          ? `${(consoleOrigin ?? page.url).replace(/\/+$/, "")}${consoleIncidentPath(incident.id)}#post`
          : null,
    },
    model: { ...model, confirm: null, webhook: null, page: { name: page.name, url: page.url } },
  };
}

function incidentModel(
  kind: NotificationKind,
  event: Pick<NotificationEventRow, "createdAt" | "updateId">,
  record: IncidentRecord,
  incident: IncidentView,
  update: UpdateView | undefined,
  index: number,
  timeZone: string,
): Omit<MailModel, "page" | "confirm" | "webhook"> {
  const latest = incident.updates[0];
  const isMaintenance = incident.kind === "maintenance";
  const status = update?.status ?? incident.status;
  const statusLook = updateStatusLook(status);
  const statusLabel = statusLook.label;
  // A promise stands for the latest update only; a mail about an older one does not repeat a later promise.
  const promiseStands = incident.nextUpdateDueAt !== null && (index <= 0 || update === latest);
  const nextUpdateBy =
    promiseStands && incident.nextUpdateDueAt
      ? formatTimeBeside(incident.nextUpdateDueAt, latest?.displayAt, timeZone)
      : null;
  const impact = impactLook(incident.impact);

  const mailIncident: MailIncident = {
    id: incident.id,
    name: incident.name,
    kindLabel: KIND_LABELS[incident.kind],
    statusLabel,
    statusTone: statusLook.tone,
    statusSymbol: statusLook.symbol,
    statusColor: statusLook.colour,
    impactText: isMaintenance ? null : impact.label,
    impactTone: impact.tone,
    impactSymbol: impact.symbol,
    impactColor: impact.colour,
    window:
      isMaintenance && incident.scheduledFor && incident.scheduledUntil
        ? formatWindow(incident.scheduledFor, incident.scheduledUntil, timeZone)
        : null,
    nextUpdateBy,
    components: componentStatuses(incident, Math.max(index, 0)),
    hasComponents: false,
  };
  mailIncident.hasComponents = mailIncident.components.length > 0;

  const shown = kind === "postmortem.published" ? undefined : (update ?? latest);
  const body: MailBody | null =
    kind === "postmortem.published" && incident.postmortemHtml && incident.postmortemPublishedAt
      ? postmortemBody(incident.postmortemHtml, formatTime(incident.postmortemPublishedAt, timeZone))
      : shown
        ? {
            title: shown.statusLabel,
            at: formatTime(shown.displayAt, timeZone),
            html: shown.bodyHtml,
            text: mailText(shown.bodyHtml),
          }
        : null;
  const reminder =
    kind === "maintenance.reminder" && record.scheduledFor
      ? {
          startsIn: `in ${formatDuration(event.createdAt, record.scheduledFor)}, at ${formatTime(record.scheduledFor, timeZone)}`,
        }
      : null;
  return {
    preheader: body ? `${statusLabel}: ${firstLine(body.text)}` : `${statusLabel}: ${incident.name}`,
    incident: mailIncident,
    update: { statusLabel },
    body,
    reminder,
  };
}

function postmortemBody(html: string, at: string): MailBody {
  return { title: "Postmortem", at, html, text: mailText(html) };
}

/** Each touched component with the status it had as of the update at `from` (updates are newest first). */
function componentStatuses(incident: IncidentView, from: number): MailIncident["components"] {
  const statusOf = new Map<string, ComponentStatus>();
  for (const update of incident.updates.slice(from)) {
    for (const change of update.affected) if (!statusOf.has(change.id)) statusOf.set(change.id, change.newStatus);
  }
  return incident.components.flatMap((c) => {
    const status = statusOf.get(c.id);
    if (!status) return [];
    const look: Look = componentLook(status);
    return [{ name: c.name, statusLabel: look.label, tone: look.tone, symbol: look.symbol, color: look.colour }];
  });
}

function firstLine(text: string): string {
  const line = text.split("\n").find((l) => l.trim() !== "") ?? "";
  return line.length <= 140 ? line : `${line.slice(0, 139)}…`;
}

/** From: the sender name and address of the page settings when set, else the page's name and MAIL_FROM. */
function mailSender(page: PageRow, mailFrom: string | undefined, host: string): { name: string; address: string } {
  return {
    name: headerText(page.senderName ?? page.name),
    address: senderAddress(page.senderAddress ?? mailFrom, host),
  };
}

function senderAddress(mailFrom: string | undefined, host: string): string {
  const configured = mailFrom?.match(/<([^>]+)>/)?.[1] ?? mailFrom;
  const address = configured ? headerAddress(configured) : "";
  return address.includes("@") ? address : `no-reply@${host}`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function nullIfNotFound(error: unknown): IncidentRecord | null {
  if (error instanceof HeraldError && error.kind === "not_found") return null;
  throw error;
}
