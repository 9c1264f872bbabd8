import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { people, subscribers } from "../../../db/schema.ts";
import type { PageRow } from "../../model/rows.ts";
import type { MailReview, MailView, NotificationEventRow } from "../../notifications/mail-types.ts";
import { paths, publicUrl } from "../../public/paths.ts";
import { computeReview } from "../compute-review.ts";
import { addDays, dayIn } from "../period.ts";
import type { Review } from "../types.ts";
import { weekBefore, weeklyReviewOf } from "./schedule.ts";
import { weeklyReviewFacts } from "./weekly-facts.ts";

/**
 * The mail of a week's review, or null when there is nothing to send: an event id not of `weeklyReviewIds`, an
 * admin's copy whose person was removed or is no longer an admin, a team copy to an address no longer the team's.
 * Its figures are `computeReview` of the 7 days before the day it was queued, as of that moment, so every copy
 * (and a retry) shows the same numbers.
 */
export async function weeklyReviewMailView(
  db: Db,
  page: PageRow,
  base: Pick<MailView, "eventId" | "kind" | "host" | "from">,
  event: Pick<NotificationEventRow, "id" | "createdAt" | "subscriberId">,
  consoleOrigin: string | undefined,
): Promise<MailView | null> {
  const about = weeklyReviewOf(event.id);
  if (!about || !event.subscriberId || !(await stillQualifies(db, about, event.subscriberId))) return null;
  const { review, facts } = await weeklyFacts(db, page, about.week, event.createdAt, consoleOrigin);
  const incidents = review.overall.incidents.count;
  return {
    ...base,
    threadEventId: null,
    links: { page: publicUrl(page, paths.index()), incident: null, console: facts.link },
    model: {
      page: { name: page.name, url: page.url },
      preheader: `${facts.week}: ${incidents === 1 ? "1 incident" : `${incidents} incidents`}, the worst of them and what is due.`,
      incident: null,
      update: null,
      body: null,
      reminder: null,
      confirm: null,
      webhook: null,
      draft: null,
      escalation: null,
      review: facts,
    },
  };
}

/**
 * The review of the 7 days before the day an event was queued, as of that instant, and its facts in words: what
 * every copy (mail or webhook) of one week's review shows.
 */
export async function weeklyFacts(
  db: Db,
  page: PageRow,
  week: string,
  createdAt: string,
  consoleOrigin: string | undefined,
): Promise<{ review: Review; facts: MailReview }> {
  const queuedAt = new Date(createdAt);
  const day = dayIn(queuedAt, page.timeZone);
  const review = await computeReview(db, weekBefore(day, page.timeZone), { now: () => queuedAt });
  const facts = await weeklyReviewFacts(db, review, {
    week,
    days: { from: addDays(day, -7), to: addDays(day, -1) },
    consoleOrigin: consoleOrigin ?? page.url,
    now: queuedAt,
  });
  return { review, facts };
}

async function stillQualifies(
  db: Db,
  about: NonNullable<ReturnType<typeof weeklyReviewOf>>,
  subscriberId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ address: subscribers.address, team: subscribers.team })
    .from(subscribers)
    .where(eq(subscribers.id, subscriberId));
  if (!row) return false;
  if (about.copy === "team") return row.team;
  if (about.copy !== "admin" || !about.personId) return false;
  const [admin] = await db
    .select({ id: people.id })
    .from(people)
    .where(
      and(
        eq(people.id, about.personId),
        eq(people.email, row.address),
        eq(people.role, "admin"),
        isNull(people.removedAt),
      ),
    );
  return admin !== undefined;
}
