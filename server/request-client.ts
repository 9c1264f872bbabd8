import { AsyncLocalStorage } from "node:async_hooks";
import type { Client, TransactionMode } from "@libsql/client";

/**
 * One libSQL client per request on Workers. workerd refuses to let a request touch I/O objects another request
 * created ("promise … from a different request context"), and a client shared by the isolate holds such objects:
 * under a dozen concurrent requests it failed and stayed failed. The app (its routers, its OpenAPI document) is
 * built once per isolate with a database whose client is this delegate, which reaches the client of the request
 * it runs in through AsyncLocalStorage.
 */
type RequestScope = { client: Client; request: Request | null };
const scope = new AsyncLocalStorage<RequestScope>();

/**
 * Runs `work` (and everything it starts) with `client` as the client of `request` (null: a cron invocation).
 */
export function withRequestClient<T>(client: Client, request: Request | null, work: () => T): T {
  return scope.run({ client, request }, work);
}

/**
 * The response with a download's body (a CSV export, read a page at a time) still reading with this request's
 * client. workerd pulls a stream when the client reads it, after the handler returned and outside its scope,
 * so a body that queries the database as it goes reads through a stream that re-enters the scope.
 */
export function withBodyInScope(response: Response): Response {
  const store = scope.getStore();
  const download = response.headers.get("Content-Disposition")?.startsWith("attachment");
  if (!store || !download || !response.body) return response;
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    pull: (controller) =>
      scope.run(store, async () => {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      }),
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** The request being served, where a clock or a log needs it; null outside one. */
export function currentRequest(): Request | null {
  return scope.getStore()?.request ?? null;
}

function current(): Client {
  const client = scope.getStore()?.client;
  if (!client) throw new Error("No database client for this request: run it inside withRequestClient().");
  return client;
}

/** A `Client` that forwards every call to the client of the request it is called in. */
export const requestScopedClient: Client = {
  execute: ((...args: Parameters<Client["execute"]>) =>
    (current().execute as (...a: typeof args) => ReturnType<Client["execute"]>)(...args)) as Client["execute"],
  batch: (stmts, mode) => current().batch(stmts, mode),
  migrate: (stmts) => current().migrate(stmts),
  transaction: (mode?: TransactionMode) => current().transaction(mode),
  executeMultiple: (sql) => current().executeMultiple(sql),
  sync: () => current().sync(),
  close: () => current().close(),
  reconnect: () => current().reconnect(),
  get closed() {
    return scope.getStore()?.client.closed ?? false;
  },
  get protocol() {
    return scope.getStore()?.client.protocol ?? "http";
  },
};
