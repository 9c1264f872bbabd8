import type { Client, TransactionMode } from "@libsql/client";

/**
 * Why a database call failed when the database, not the request, is at fault:
 * - `busy`: the server refused the call before running it (a libSQL server's HTTP 429 when more requests are in
 *   flight than it takes, or SQLITE_BUSY: another writer held the lock past the busy timeout); trying again is safe.
 * - `unreachable`: the server could not be reached or answered with a gateway error or a 404 (stopped,
 *   restarting, a network failure, a timeout); whether a write in flight was applied is unknown, so it is not retried here.
 */
export type DatabaseTrouble = "busy" | "unreachable";

const BUSY_STATUSES = new Set([429]);
// sqld answers 404 ("namespace doesn't exist", before running anything) to a request that meets its database
// taken out of its namespace store, as on shutdown; a wrong URL answers the same, and a 503 says more than a 500.
const UNREACHABLE_STATUSES = new Set([404, 502, 503, 504]);
/** How fetch (Node's undici and workerd) and the libSQL clients word a connection that failed. */
const UNREACHABLE_MESSAGE =
  /fetch failed|network connection lost|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|socket hang up|other side closed|connection refused|connection reset|timed out|HRANA_CLOSED_ERROR|HRANA_WEBSOCKET_ERROR/i;

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = error; e !== undefined && e !== null && chain.length < 10; ) {
    chain.push(e);
    e = typeof e === "object" && "cause" in e ? e.cause : undefined;
  }
  return chain;
}

/** The database's part in `error` (a drizzle or libSQL error, with its causes), or null when it is not the database's. */
export function databaseTrouble(error: unknown): DatabaseTrouble | null {
  let trouble: DatabaseTrouble | null = null;
  for (const e of causes(error)) {
    if (!(e instanceof Error)) continue;
    const status = "status" in e && typeof e.status === "number" ? e.status : null;
    const code = "code" in e && typeof e.code === "string" ? e.code : "";
    if (status !== null && BUSY_STATUSES.has(status)) return "busy";
    if (code === "SQLITE_BUSY" || /SQLITE_BUSY|database is locked/.test(e.message)) return "busy";
    if (status !== null && UNREACHABLE_STATUSES.has(status)) trouble = "unreachable";
    else if (UNREACHABLE_MESSAGE.test(e.message) || UNREACHABLE_MESSAGE.test(code)) trouble = "unreachable";
  }
  return trouble;
}

export type RetryPolicy = {
  /** Tries in all, the first included. */
  attempts: number;
  /** The first wait's ceiling in ms; each next one doubles, up to `maxDelayMs` (full jitter). */
  baseDelayMs: number;
  maxDelayMs: number;
};

/** About five seconds of tries at most: a burst drains well within that, an outage is answered 503 soon after. */
export const BUSY_RETRY: RetryPolicy = { attempts: 10, baseDelayMs: 20, maxDelayMs: 1_000 };

async function retryWhileBusy<T>(policy: RetryPolicy, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= policy.attempts || databaseTrouble(error) !== "busy") throw error;
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
}

/**
 * `client` with its statements and batches tried again while the server is busy (see `DatabaseTrouble`): a
 * remote libSQL server under a burst refuses what it can't take at once, and those calls ran nothing.
 */
export function retryingWhileBusy(client: Client, policy: RetryPolicy = BUSY_RETRY): Client {
  return {
    execute: ((...args: Parameters<Client["execute"]>) =>
      retryWhileBusy(policy, () =>
        (client.execute as (...a: typeof args) => ReturnType<Client["execute"]>)(...args),
      )) as Client["execute"],
    // drizzle names no mode, and libSQL's default is a deferred transaction, which upgrades to a write lock at its
    // first write: two such batches that both read first then block each other. Herald's batches write.
    batch: (stmts, mode) => retryWhileBusy(policy, () => client.batch(stmts, mode ?? "write")),
    migrate: (stmts) => client.migrate(stmts),
    transaction: (mode?: TransactionMode) => client.transaction(mode),
    executeMultiple: (sql) => client.executeMultiple(sql),
    sync: () => client.sync(),
    close: () => client.close(),
    reconnect: () => client.reconnect(),
    get closed() {
      return client.closed;
    },
    get protocol() {
      return client.protocol;
    },
  };
}
