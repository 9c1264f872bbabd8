/**
 * The weekly review mail's facts: the week's headline figures from `computeReview` beside the week before (the
 * same lines as the console and the CSV: `summaryWithTrend`), the worst incidents, and what is due.
 */
import { and, asc, eq, gte, isNotNull, isNull, lte, ne } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { components, incidents } from "../../../db/schema.ts";
import { consoleIncidentPath } from "../../console/paths.ts";
import type { MailReview, MailReviewItem } from "../../notifications/mail-types.ts";
import { formatDay, formatMinutes } from "../../presentation/time.ts";
import { addDays } from "../period.ts";
import { type SummaryLine, summaryWithTrend } from "../summary.ts";
import type { Review } from "../types.ts";

/** The lines the mail shows, in this order (the console shows them all). */
const HEADLINES = [
  "incidents",
  "first_post.median",
  "first_post.p90",
  "promises.kept_percent",
  "promises.late",
  "resolve.median",
  "uptime.percent",
  "maintenances.overran",
  "alerts",
  "escalations",
];
/** How many incidents each worst list names in the mail. */
const WORST_IN_MAIL = 5;
/** Postmortems count as due for incidents resolved this many days back. */
const POSTMORTEM_DAYS = 28;
/** Sunsets count as due this many days ahead. */
const SUNSET_DAYS = 14;

export type WeeklyContext = {
  week: string;
  /** The week's first and last calendar days in the page's zone. */
  days: { from: string; to: string };
  /** Where the console is served (the team's links open there). */
  consoleOrigin: string;
  now: Date;
};

export async function weeklyReviewFacts(db: Db, review: Review, context: WeeklyContext): Promise<MailReview> {
  const origin = context.consoleOrigin.replace(/\/+$/, "");
  const incidentLink = (id: string) => `${origin}${consoleIncidentPath(id)}`;
  const lines = new Map(summaryWithTrend(review.overall, review.previousOverall).map((l) => [l.key, l]));
  const figures = HEADLINES.flatMap((key) => {
    const line = lines.get(key);
    return line
      ? [{ label: line.label, now: shown(line, line.value), before: shown(line, line.previous), change: trend(line) }]
      : [];
  });
  const item = (ref: { incidentId: string; name: string }, figure: string): MailReviewItem => ({
    name: ref.name,
    figure,
    link: incidentLink(ref.incidentId),
  });
  const worstFirstPost = review.worst.byFirstPost
    .slice(0, WORST_IN_MAIL)
    .map((ref) => item(ref, `${formatMinutes(ref.minutes)} to the first post`));
  const worstPromises = review.worst.byMissedPromises
    .slice(0, WORST_IN_MAIL)
    .map((ref) =>
      item(ref, `${ref.missed ?? 0} promise${ref.missed === 1 ? "" : "s"} late, ${formatMinutes(ref.minutes)} in all`),
    );
  const [postmortemsDue, sunsets] = await Promise.all([
    postmortemsNotWritten(db, context.now),
    sunsetsSoon(db, context.now),
  ]);
  return {
    week: weekWords(context.week),
    period: `${formatDay(context.days.from)} – ${formatDay(context.days.to)}`,
    figures,
    worstFirstPost,
    worstPromises,
    postmortemsDue: postmortemsDue.map((i) =>
      item({ incidentId: i.id, name: i.name }, `resolved ${formatDay(i.resolvedAt.slice(0, 10))}`),
    ),
    sunsets: sunsets.map((c) => ({
      name: c.name,
      figure: `leaves the page on ${formatDay(c.sunsetAt.slice(0, 10))}`,
      link: `${origin}/admin/components`,
    })),
    hasWorst: worstFirstPost.length + worstPromises.length > 0,
    hasDue: postmortemsDue.length + sunsets.length > 0,
    link: `${origin}/admin/review?from=${context.days.from}&to=${context.days.to}`,
  };
}

/** "Week 49, 2026" from "2026-W49". */
function weekWords(week: string): string {
  const [year, number] = week.split("-W");
  return `Week ${Number(number)}, ${year}`;
}

function shown(line: SummaryLine, value: number | null): string {
  if (value === null) return "–";
  if (line.unit === "minutes") return formatMinutes(value);
  if (line.unit === "percent") return `${value}%`;
  return value.toLocaleString("en-US");
}

/** The change in words, and whether it is better or worse when the line says which way is better. */
function trend(line: SummaryLine & { previous: number | null }): string {
  if (line.value === null || line.previous === null) return "–";
  const delta = Math.round((line.value - line.previous) * 100) / 100;
  if (delta === 0) return "same";
  const size =
    line.unit === "minutes"
      ? formatMinutes(Math.abs(delta))
      : line.unit === "percent"
        ? `${Math.abs(delta)} points`
        : Math.abs(delta).toLocaleString("en-US");
  const direction = delta > 0 ? "up" : "down";
  const verdict = line.better === null ? "" : delta < 0 === (line.better === "lower") ? " (better)" : " (worse)";
  return `${direction} ${size}${verdict}`;
}

/** Incidents resolved in the last 28 days whose postmortem is not published, oldest first (at most 10). */
async function postmortemsNotWritten(db: Db, now: Date) {
  const since = new Date(now.getTime() - POSTMORTEM_DAYS * 86_400_000).toISOString();
  const rows = await db
    .select({ id: incidents.id, name: incidents.name, resolvedAt: incidents.resolvedAt })
    .from(incidents)
    .where(
      and(
        eq(incidents.kind, "incident"),
        ne(incidents.impact, "none"),
        isNotNull(incidents.resolvedAt),
        gte(incidents.resolvedAt, since),
        isNull(incidents.postmortemPublishedAt),
      ),
    )
    .orderBy(asc(incidents.resolvedAt))
    .limit(10);
  return rows.flatMap((r) => (r.resolvedAt ? [{ ...r, resolvedAt: r.resolvedAt }] : []));
}

/** Deprecated components whose sunset date comes within 14 days, soonest first. */
async function sunsetsSoon(db: Db, now: Date) {
  const until = new Date(`${addDays(now.toISOString().slice(0, 10), SUNSET_DAYS)}T23:59:59.999Z`).toISOString();
  const rows = await db
    .select({ id: components.id, name: components.name, sunsetAt: components.sunsetAt })
    .from(components)
    .where(and(eq(components.stage, "deprecated"), isNotNull(components.sunsetAt), lte(components.sunsetAt, until)))
    .orderBy(asc(components.sunsetAt));
  return rows.flatMap((r) => (r.sunsetAt ? [{ ...r, sunsetAt: r.sunsetAt }] : []));
}
