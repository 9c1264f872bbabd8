import { asc, eq, inArray, sql } from "drizzle-orm";
import { expect } from "vitest";
import { personMail } from "../../../core/people/person-mail.ts";
import { PERSON_MAIL_KINDS, personMailOf } from "../../../core/people/person-mail-events.ts";
import { notificationEvents } from "../../../db/schema.ts";
import type { TestApi } from "../../helpers/api.ts";
import { CONSOLE_ORIGIN } from "../../helpers/console-client.ts";

export type Browser = { cookie: string };

/** The link in the newest mail queued for a person (invitation or sign-in), built by the product's own mail builder. */
export async function mailedLink(api: TestApi, purpose: "invitation" | "sign-in"): Promise<string> {
  const queued = await api.db
    .select()
    .from(notificationEvents)
    .where(eq(notificationEvents.kind, PERSON_MAIL_KINDS[purpose]))
    .orderBy(asc(notificationEvents.createdAt), sql`${notificationEvents}.rowid`);
  const mine = queued.flatMap((event) => personMailOf(event.id) ?? []);
  const last = mine.at(-1);
  if (!last) throw new Error(`no ${purpose} mail queued`);
  const ctx = {
    db: api.db,
    clock: api.clock,
    settings: { linkSecret: api.linkSecret },
    publicUrl: CONSOLE_ORIGIN,
    mailFrom: "herald@example.com",
  };
  const mail = await personMail(ctx, purpose, last.id);
  const link = /https?:\/\/\S+/.exec(String(mail?.text ?? ""))?.[0];
  if (!link) throw new Error(`the ${purpose} mail carries no link`);
  return link;
}

export async function personMailCount(api: TestApi): Promise<number> {
  const kinds = Object.values(PERSON_MAIL_KINDS);
  return (await api.db.select().from(notificationEvents).where(inArray(notificationEvents.kind, kinds))).length;
}

/** Posts a console form before any session (sign-in paths), from the console's own origin. */
export function postForm(
  api: TestApi,
  path: string,
  fields: Record<string, string>,
  browser?: Browser,
  headers: Record<string, string> = {},
) {
  return api.app.request(`${CONSOLE_ORIGIN}${path}`, {
    method: "POST",
    headers: {
      Origin: CONSOLE_ORIGIN,
      "Content-Type": "application/x-www-form-urlencoded",
      ...(browser ? { Cookie: browser.cookie } : {}),
      ...headers,
    },
    body: new URLSearchParams(fields),
  });
}

export function cookieOf(response: Response): Browser {
  const cookie = (response.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
  expect(cookie).toMatch(/^herald_console=/);
  return { cookie };
}

export async function screen(api: TestApi, browser: Browser, path: string): Promise<{ status: number; html: string }> {
  const response = await api.app.request(`${CONSOLE_ORIGIN}${path}`, { headers: { Cookie: browser.cookie } });
  return { status: response.status, html: await response.text() };
}

/** Accepts an invitation link as the invited person would: open it, give a name, submit. */
export async function acceptByLink(api: TestApi, link: string, name: string, userAgent?: string): Promise<Response> {
  const token = new URL(link).searchParams.get("token") ?? "";
  const opened = await api.app.request(link);
  expect(opened.status).toBe(200);
  return postForm(api, "/admin/invitation", { token, name }, undefined, userAgent ? { "User-Agent": userAgent } : {});
}

/** Invites by the API as the admin token, accepts through the console: the new person's browser. */
export async function joinTeam(
  api: TestApi,
  email: string,
  name: string,
  role: string,
  userAgent?: string,
): Promise<Browser> {
  const invited = await api.request("POST", "/api/people/invitations", { as: "admin", json: { email, role } });
  expect(invited.status).toBe(201);
  const accepted = await acceptByLink(api, await mailedLink(api, "invitation"), name, userAgent);
  expect(accepted.status).toBe(303);
  return cookieOf(accepted);
}

/** Signs an existing person in again with an emailed link, from another browser. */
export async function signInByLink(api: TestApi, email: string, userAgent?: string): Promise<Browser> {
  await postForm(api, "/admin/sign-in/link", { email });
  const token = new URL(await mailedLink(api, "sign-in")).searchParams.get("token") ?? "";
  const headers: Record<string, string> = userAgent ? { "User-Agent": userAgent } : {};
  return cookieOf(await postForm(api, "/admin/sign-in/link/use", { token }, undefined, headers));
}
