import type { Db } from "../../../db/client.ts";
import type { PageRow } from "../../model/rows.ts";
import { formatTime } from "../../presentation/time.ts";
import { paths, publicUrl } from "../../public/paths.ts";
import type { MailComponent, MailView, NotificationEventRow } from "../mail-types.ts";
import { mailText } from "../plain-text.ts";
import { componentNoticeFacts } from "./notice-facts.ts";

/** The mail of a component's deprecation, reminder or sunset: the component, its date and the team's message. */
export async function componentMailView(
  db: Db,
  page: PageRow,
  base: Pick<MailView, "eventId" | "kind" | "host" | "from">,
  event: Pick<NotificationEventRow, "componentIds" | "subscriberId" | "createdAt">,
): Promise<MailView | null> {
  const facts = await componentNoticeFacts(db, event);
  if (!facts) return null;
  const { component } = facts;
  const sunsetAt = component.sunsetAt ?? event.createdAt;
  const mailComponent: MailComponent = {
    name: component.name,
    sunsetAt: formatTime(sunsetAt, page.timeZone),
    leavesIn: daysUntil(event.createdAt, sunsetAt),
    messageHtml: facts.messageHtml,
    messageText: facts.messageHtml ? mailText(facts.messageHtml) : "",
    hasMessage: facts.messageHtml !== "",
    subscriptionEnded: facts.subscriptionEnded,
    url: publicUrl(page, paths.component(component.id)),
  };
  return {
    ...base,
    threadEventId: null,
    links: { page: publicUrl(page, paths.index()), incident: null, console: null },
    model: {
      page: { name: page.name, url: page.url },
      preheader: preheader(base.kind, mailComponent),
      incident: null,
      update: null,
      body: null,
      reminder: null,
      confirm: null,
      webhook: null,
      draft: null,
      escalation: null,
      component: mailComponent,
    },
  };
}

function preheader(kind: MailView["kind"], c: MailComponent): string {
  if (kind === "component.sunset") {
    return c.subscriptionEnded
      ? `${c.name} has left the page, and your subscription, which named only it, has ended.`
      : `${c.name} has left the page.`;
  }
  return `${c.name} is deprecated and leaves the page on ${c.sunsetAt}.`;
}

/** "in 14 days", "tomorrow", "today": how far the sunset date is from the event. */
function daysUntil(fromIso: string, toIso: string): string {
  const days = Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 86_400_000);
  if (days <= 0) return "today";
  if (days === 1) return "tomorrow";
  return `in ${days} days`;
}
