/**
 * A review's period from calendar dates in the page's time zone: `from` at its midnight to the midnight after
 * `to` (both days included), and the previous period of the same length, which ends where this one begins.
 */
import { canonicalTimeZone } from "../presentation/time.ts";
import type { ReviewPeriod } from "./types.ts";

const DAY_MS = 86_400_000;

/** The instant a calendar day (`YYYY-MM-DD`) begins in `timeZone` (an unknown zone reads as UTC). */
export function midnightIn(day: string, timeZone: string): Date {
  const utcMidnight = Date.parse(`${day}T00:00:00.000Z`);
  const zone = canonicalTimeZone(timeZone) ?? "UTC";
  // The offset at the guess, then again at the corrected instant (a day that begins inside a DST change).
  let instant = utcMidnight - offsetMs(utcMidnight, zone);
  instant = utcMidnight - offsetMs(instant, zone);
  return new Date(instant);
}

/** The calendar day (`YYYY-MM-DD`) an instant falls on in `timeZone`. */
export function dayIn(instant: Date, timeZone: string): string {
  const zone = canonicalTimeZone(timeZone) ?? "UTC";
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    instant,
  );
}

/** A calendar day moved by whole days. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** `from` and `to` days (inclusive) as the instants of the period. */
export function periodOfDays(from: string, to: string, timeZone: string): ReviewPeriod {
  return {
    from: midnightIn(from, timeZone).toISOString(),
    to: midnightIn(addDays(to, 1), timeZone).toISOString(),
  };
}

/** The period of the same length that ends where `period` begins. */
export function previousPeriod(period: ReviewPeriod): ReviewPeriod {
  const length = Date.parse(period.to) - Date.parse(period.from);
  return { from: new Date(Date.parse(period.from) - length).toISOString(), to: period.from };
}

function offsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(instant / 1000) * 1000;
}
