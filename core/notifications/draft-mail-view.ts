import type { Db } from "../../db/client.ts";
import { consoleDraftPath } from "../alerts/drafts/console-path.ts";
import { type DraftNoticeFacts, draftNoticeFacts } from "../alerts/drafts/notice-facts.ts";
import { escalationFacts } from "../escalation/told-already.ts";
import type { PageRow } from "../model/rows.ts";
import { componentLook, updateStatusLook } from "../presentation/status.ts";
import { formatMinutes, formatTime } from "../presentation/time.ts";
import { paths, publicUrl } from "../public/paths.ts";
import { renderMarkdown } from "../text/markdown.ts";
import type { NotificationKind } from "./events.ts";
import type { MailDraft, MailView, NotificationEventRow } from "./mail-types.ts";
import { mailText } from "./plain-text.ts";

const DRAFT_KINDS = ["alert.draft_waiting", "alert.draft_reminder", "alert.draft_escalated"] as const;
export type DraftKind = (typeof DRAFT_KINDS)[number];

/** The notices of a draft incident from alerts (core/alerts/drafts/), which name a draft, not an incident. */
export function isDraftKind(kind: string): kind is DraftKind {
  return (DRAFT_KINDS as readonly string[]).includes(kind);
}

/** The mail of a draft's notice: the drafted incident, the firing alerts and the link to the console's draft screen. */
export async function draftMailView(
  db: Db,
  page: PageRow,
  base: Pick<MailView, "eventId" | "kind" | "host" | "from">,
  event: Pick<NotificationEventRow, "id" | "createdAt">,
  consoleOrigin: string | undefined,
): Promise<MailView | null> {
  const facts = await draftNoticeFacts(db, event);
  if (!facts) return null;
  const draft = mailDraft(facts, base.kind, page.timeZone);
  const alerts = facts.draft.alerts.length;
  return {
    ...base,
    threadEventId: null,
    links: {
      page: publicUrl(page, paths.index()),
      incident: null,
      console: `${(consoleOrigin ?? page.url).replace(/\/+$/, "")}${consoleDraftPath(facts.draft.id)}`,
    },
    model: {
      page: { name: page.name, url: page.url },
      preheader: `${alerts === 1 ? "An alert" : `${alerts} alerts`} drafted “${draft.name}”; it waits for you to publish it (${draft.waitingFor} so far).`,
      incident: null,
      update: null,
      body: null,
      reminder: null,
      confirm: null,
      webhook: null,
      draft,
      escalation: await escalationFacts(db, event.id),
    },
  };
}

export function mailDraft(facts: DraftNoticeFacts, kind: NotificationKind, timeZone: string): MailDraft {
  const html = renderMarkdown(facts.draft.body);
  const components = facts.components.map((c) => {
    const look = componentLook(c.status);
    return { name: c.name, statusLabel: look.label, tone: look.tone, symbol: look.symbol, color: look.colour };
  });
  return {
    name: facts.draft.name,
    waitingFor: formatMinutes(facts.waitingMinutes),
    reminder: kind !== "alert.draft_waiting",
    autoPublishAt: facts.draft.auto_publish_at ? formatTime(facts.draft.auto_publish_at, timeZone) : null,
    statusLabel: updateStatusLook(facts.draft.status).label,
    alerts: facts.draft.alerts.map((a) => ({
      summary: a.summary || a.fingerprint,
      severity: a.severity,
      labels: Object.entries(a.labels)
        .map(([name, value]) => `${name}=${value}`)
        .join(", "),
      since: a.since ? formatTime(a.since, timeZone) : null,
    })),
    components,
    hasComponents: components.length > 0,
    text: mailText(html),
  };
}
