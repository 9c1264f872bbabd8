import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { HeraldError } from "../../core/actions/errors.ts";
import { type Refusal, refusalOf } from "./ui/form.tsx";

/** Sends a screen as a full HTML document. */
export async function render(
  c: Context,
  screen: string | Promise<string>,
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  return c.html(`<!doctype html>${await screen}`, status);
}

const STATUS_OF: Record<HeraldError["kind"], ContentfulStatusCode> = {
  invalid: 422,
  not_found: 404,
  forbidden: 403,
  unauthorized: 401,
  conflict: 409,
  rate_limited: 429,
};

export type Attempt<T> = { ok: true; value: T } | { ok: false; refusal: Refusal; status: ContentfulStatusCode };

/** Runs a core action; a refusal it throws (nothing was written) comes back to be shown beside the fields. */
export async function attempt<T>(work: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof HeraldError) return { ok: false, refusal: refusalOf(error), status: STATUS_OF[error.kind] };
    throw error;
  }
}

export function statusOf(error: HeraldError): ContentfulStatusCode {
  return STATUS_OF[error.kind];
}

/** Redirect after a successful post (303: the browser follows with a GET). */
export function done(c: Context, path: string, what: string): Response {
  return c.redirect(`${path}${path.includes("?") ? "&" : "?"}done=${what}`, 303);
}
