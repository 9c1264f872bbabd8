/**
 * When the weekly review mail is due (page settings `review_weekday`, `review_hour`, in the page's time zone),
 * which week it is, and the ids of its events, derived from that week so two runners (or the Worker's cron and
 * a runner) send it once.
 */
import { canonicalTimeZone } from "../../presentation/time.ts";
import { addDays, dayIn, periodOfDays } from "../period.ts";
import type { ReviewPeriod } from "../types.ts";

export type WeeklyReviewSchedule = { timeZone: string; reviewWeekday: number | null; reviewHour: number | null };

/** A weekly review that is due: its ISO week (`2026-W49`, of the sending day), that day, and the 7 days before it. */
export type DueWeeklyReview = { week: string; day: string; period: ReviewPeriod };

/**
 * The review due at `now`, or null: due from the set hour to the end of the set day (a runner down at that hour
 * catches up later that day, not on another); off while either setting is null.
 */
export function dueWeeklyReview(now: Date, schedule: WeeklyReviewSchedule): DueWeeklyReview | null {
  const { reviewWeekday, reviewHour } = schedule;
  if (reviewWeekday === null || reviewHour === null) return null;
  const zone = canonicalTimeZone(schedule.timeZone) ?? "UTC";
  const day = dayIn(now, zone);
  if (isoWeekday(day) !== reviewWeekday || hourIn(now, zone) < reviewHour) return null;
  return { week: isoWeek(day), day, period: weekBefore(day, zone) };
}

/** The review of the week before `day`: its 7 whole days, midnight to midnight in the page's zone. */
export function weekBefore(day: string, timeZone: string): ReviewPeriod {
  return periodOfDays(addDays(day, -7), addDays(day, -1), timeZone);
}

/** 1 (Monday) … 7 (Sunday) of a calendar day. */
export function isoWeekday(day: string): number {
  return new Date(`${day}T00:00:00.000Z`).getUTCDay() || 7;
}

/** The ISO 8601 week of a calendar day: `2026-W49` (the year is the week's, which may differ at New Year). */
export function isoWeek(day: string): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  // The week's Thursday decides its year.
  date.setUTCDate(date.getUTCDate() + 4 - isoWeekday(day));
  const year = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, "0")}`;
}

function hourIn(instant: Date, timeZone: string): number {
  const hour = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", hour: "2-digit" }).format(instant);
  return Number(hour);
}

const WEEK = /^\d{4}-W\d{2}$/;

/**
 * The events of one week's review: one for the team's webhooks, one addressed to the team address, one to each
 * admin (by person id). Lower case, as every id.
 */
export const weeklyReviewIds = {
  webhooks: (week: string) => `rw-${week.toLowerCase()}`,
  team: (week: string) => `rwt-${week.toLowerCase()}`,
  admin: (week: string, personId: string) => `rwa-${week.toLowerCase()}-${personId}`,
};

/** The week and the recipient an event id of `weeklyReviewIds` names; null for any other event. */
export function weeklyReviewOf(
  eventId: string,
): { week: string; copy: "webhooks" | "team" | "admin"; personId: string | null } | null {
  const match = /^rw(t|a)?-(\d{4}-w\d{2})(?:-([0-9a-z]+))?$/.exec(eventId);
  if (!match?.[2]) return null;
  const week = match[2].toUpperCase();
  if (!WEEK.test(week)) return null;
  const copy = match[1] === "t" ? "team" : match[1] === "a" ? "admin" : "webhooks";
  if ((copy === "admin") !== (match[3] !== undefined)) return null;
  return { week, copy, personId: match[3] ?? null };
}
