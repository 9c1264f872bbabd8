import { and, eq, gte, lt, lte, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { rateLimits } from "../../db/schema.ts";
import type { Clock } from "./clock.ts";

/** Bounds the in-memory list of used-up subjects under a flood from many addresses. */
const MAX_REMEMBERED = 10_000;

/** At most `limit` hits per subject in each fixed window of `windowMs`; `name` keeps rules apart. */
export type RateLimitRule = { name: string; limit: number; windowMs: number };

export type RateLimitResult = {
  /** True once the subject used up its window: the caller answers 429. */
  limited: boolean;
  hits: number;
  /** Whole seconds until the window ends (at least 1): the `Retry-After` value. */
  retryAfterSeconds: number;
};

export type RateLimiter = {
  readonly rule: RateLimitRule;
  /** Whether `subject` has used up its window, without counting anything (one primary-key read). */
  check(subject: string): Promise<RateLimitResult>;
  /** Counts one hit for `subject` in one atomic statement; `limited` when it went over the limit. */
  hit(subject: string): Promise<RateLimitResult>;
};

/**
 * A fixed-window limiter whose counters live in `rate_limits`, so the limit holds across processes
 * and Worker isolates sharing the database. Runtime-neutral: public writes and sign-ins reuse it.
 */
export function rateLimiter(db: Db, clock: Clock, rule: RateLimitRule): RateLimiter {
  const prefix = `${rule.name}:`;
  // Keys of a rule sort between `name:` and `name;` (';' follows ':'), so pruning reads only that range.
  const end = `${rule.name};`;
  let lastPrunedAt = Number.NEGATIVE_INFINITY;
  // Subjects known to have used up their window, with the window's end: a window's hits only grow,
  // so this copy of a database fact stays true, and a flood costs no database work once it is limited.
  const usedUp = new Map<string, number>();

  const outcome = (limited: boolean, hits: number, windowEnd: number, now: number): RateLimitResult => ({
    limited,
    hits,
    retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - now) / 1000)),
  });
  const knownUsedUp = (subject: string, now: number): RateLimitResult | null => {
    const windowEnd = usedUp.get(subject);
    if (windowEnd === undefined) return null;
    if (windowEnd > now) return outcome(true, rule.limit, windowEnd, now);
    usedUp.delete(subject);
    return null;
  };
  const remember = (subject: string, hits: number, windowEnd: number): void => {
    if (hits < rule.limit) return;
    if (usedUp.size >= MAX_REMEMBERED) usedUp.clear();
    usedUp.set(subject, windowEnd);
  };

  /** Expired rows would otherwise grow the table forever; at most once a window per process is enough. */
  async function prune(now: number, expiredBefore: string): Promise<void> {
    if (now - lastPrunedAt < rule.windowMs) return;
    lastPrunedAt = now;
    await db
      .delete(rateLimits)
      .where(and(gte(rateLimits.key, prefix), lt(rateLimits.key, end), lte(rateLimits.windowStart, expiredBefore)))
      .catch(() => {
        lastPrunedAt = Number.NEGATIVE_INFINITY; // housekeeping only: the next new window tries again
      });
  }

  return {
    rule,
    async check(subject) {
      const now = clock.now().getTime();
      const known = knownUsedUp(subject, now);
      if (known) return known;
      const [row] = await db
        .select({ hits: rateLimits.hits, windowStart: rateLimits.windowStart })
        .from(rateLimits)
        .where(eq(rateLimits.key, prefix + subject));
      if (!row || Date.parse(row.windowStart) + rule.windowMs <= now) {
        return { limited: false, hits: 0, retryAfterSeconds: 0 };
      }
      const windowEnd = Date.parse(row.windowStart) + rule.windowMs;
      remember(subject, row.hits, windowEnd);
      return outcome(row.hits >= rule.limit, row.hits, windowEnd, now);
    },
    async hit(subject) {
      const now = clock.now().getTime();
      const known = knownUsedUp(subject, now);
      if (known) return known;
      const startsNow = new Date(now).toISOString();
      const expiredBefore = new Date(now - rule.windowMs).toISOString();
      const expired = sql`${rateLimits.windowStart} <= ${expiredBefore}`;
      const [row] = await db
        .insert(rateLimits)
        .values({ key: prefix + subject, windowStart: startsNow, hits: 1 })
        .onConflictDoUpdate({
          target: rateLimits.key,
          set: {
            hits: sql`CASE WHEN ${expired} THEN 1 ELSE ${rateLimits.hits} + 1 END`,
            windowStart: sql`CASE WHEN ${expired} THEN ${startsNow} ELSE ${rateLimits.windowStart} END`,
          },
        })
        .returning({ hits: rateLimits.hits, windowStart: rateLimits.windowStart });
      if (!row) throw new Error(`rate limit ${rule.name}: the upsert returned no row`);
      if (row.hits === 1) await prune(now, expiredBefore);
      const windowEnd = Date.parse(row.windowStart) + rule.windowMs;
      remember(subject, row.hits, windowEnd);
      return outcome(row.hits > rule.limit, row.hits, windowEnd, now);
    },
  };
}

/**
 * The subject a client address is limited as: IPv4 as is (also when IPv4-mapped), IPv6 by its /64,
 * since one host usually holds a whole /64. An unknown address shares the subject `unknown`.
 */
export function addressSubject(address: string | undefined): string {
  if (!address) return "unknown";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!address.includes(":")) return address;
  const bare = address.replace(/%.*$/, "").toLowerCase(); // drop a zone id (fe80::1%eth0)
  const [head = "", tail] = bare.split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const groups =
    tail === undefined
      ? headGroups
      : [...headGroups, ...Array(Math.max(0, 8 - headGroups.length - tailGroups.length)).fill("0"), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
