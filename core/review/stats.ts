/** The review's arithmetic: minutes from milliseconds, nearest-rank percentiles, the distribution's buckets. */
import type { HistogramBucket } from "./types.ts";

export const MINUTE_MS = 60_000;

/** Milliseconds as minutes, rounded to one decimal. */
export function toMinutes(ms: number): number {
  return Math.round(ms / 6_000) / 10;
}

/** The nearest-rank percentile (`p` in 1–100) of values sorted ascending; null for none. */
export function percentile(sortedAscending: readonly number[], p: number): number | null {
  if (sortedAscending.length === 0) return null;
  const rank = Math.ceil((p / 100) * sortedAscending.length);
  return sortedAscending[Math.min(Math.max(rank, 1), sortedAscending.length) - 1] ?? null;
}

/** A percentage rounded to three decimals. */
export function roundPercent(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** The distribution chart's bucket edges in minutes: under 5, 5–15, 15–30, 30–60, 1–4 h, 4 h and more. */
export const BUCKET_EDGES = [0, 5, 15, 30, 60, 240] as const;

export function histogram(samples: readonly { incidentId: string; minutes: number }[]): HistogramBucket[] {
  const buckets: HistogramBucket[] = BUCKET_EDGES.map((from, i) => ({
    fromMinutes: from,
    toMinutes: BUCKET_EDGES[i + 1] ?? null,
    count: 0,
    incidentIds: [],
  }));
  for (const sample of samples) {
    const bucket = buckets.findLast((b) => sample.minutes >= b.fromMinutes) ?? buckets[0];
    if (!bucket) continue;
    bucket.count += 1;
    bucket.incidentIds.push(sample.incidentId);
  }
  return buckets;
}
