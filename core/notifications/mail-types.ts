import type { notificationEvents } from "../../db/schema.ts";
import type { EscalationFacts } from "../escalation/told-already.ts";
import type { Tone } from "../presentation/status.ts";
import type { NotificationKind } from "./events.ts";

/** The shapes a mail is built from: the event, the incident as mail shows it, and what the templates see. */
export type NotificationEventRow = typeof notificationEvents.$inferSelect;

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
  /** A draft incident from alerts that waits for the team (core/alerts/drafts/); null for every other mail. */
  draft: MailDraft | null;
  /** An escalation notice's level and who was told before (core/escalation/); null for every other mail. */
  escalation: EscalationFacts | null;
  /** The weekly reliability review (core/review/weekly/); null for every other mail. */
  review?: MailReview | null;
  /** A component's deprecation, sunset reminder or sunset (docs/inventory.md); null (or absent) for every other mail. */
  component?: MailComponent | null;
};

/** A line of the weekly review: an incident named with its figure and its console screen. */
export type MailReviewItem = { name: string; figure: string; link: string };

/** The weekly review as its mail shows it: every value already in words. */
export type MailReview = {
  /** "Week 49, 2026". */
  week: string;
  /** "Nov 30 – Dec 6, 2026" (the page's time zone). */
  period: string;
  /** Each figure this week, the week before, and the change in words ("up 2", "same"). */
  figures: { label: string; now: string; before: string; change: string }[];
  worstFirstPost: MailReviewItem[];
  worstPromises: MailReviewItem[];
  /** Incidents resolved in the last 28 days without a published postmortem. */
  postmortemsDue: MailReviewItem[];
  /** Deprecated components whose sunset comes within 14 days. */
  sunsets: MailReviewItem[];
  hasWorst: boolean;
  hasDue: boolean;
  /** The console's review screen for the week. */
  link: string;
};

export type MailComponent = {
  name: string;
  /** Its public page (its history stays there after the sunset). */
  url: string;
  /** The sunset date, formatted in the page's time zone (the actual one, once sunset). */
  sunsetAt: string;
  /** "in 14 days", "tomorrow", "today". */
  leavesIn: string;
  /** The team's message, sanitized HTML and its text version. */
  messageHtml: string;
  messageText: string;
  hasMessage: boolean;
  /** The last mail of a subscription that named only this component: it has ended. */
  subscriptionEnded: boolean;
};

export type MailDraft = {
  name: string;
  /** "12 min": how long it has waited. */
  waitingFor: string;
  /** A reminder (the draft was announced before). */
  reminder: boolean;
  /** When it publishes by itself, formatted; null: only a person publishes it. */
  autoPublishAt: string | null;
  statusLabel: string;
  alerts: { summary: string; severity: string | null; labels: string; since: string | null }[];
  components: { name: string; statusLabel: string; tone: Tone; symbol: string; color: string }[];
  hasComponents: boolean;
  /** The drafted text as plain text (the team reviews it; the page's HTML is in the console's preview). */
  text: string;
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
  /** Links that are the same for everyone: the page, the incident, and (team mails) its console screen (or the draft's). */
  links: { page: string; incident: string | null; console: string | null };
  model: MailModel;
};

export type MailSettings = {
  /** `MAIL_FROM`: the sender's address (a "Name <address>" form is accepted; the page's name is shown). */
  mailFrom?: string | undefined;
  /** Where Herald itself (the API and the console) is served, `PUBLIC_URL`; default the page's address. */
  consoleOrigin?: string | undefined;
};
