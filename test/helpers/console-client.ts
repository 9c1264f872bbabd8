import type { createApp } from "../../api/app.ts";
import { run } from "../../core/actions/run.ts";
import { createToken } from "../../core/tokens/create-token.ts";
import { contextFor, type manualClock, type TestDb } from "./database.ts";

export const CONSOLE_ORIGIN = "http://herald.test";

export type ConsoleSession = { cookie: string; csrf: string };
type Setup = { app: ReturnType<typeof createApp>; testDb: TestDb; clock: ReturnType<typeof manualClock> };

/** A browser's side of the console, without a browser: sign in with a new token, post forms, read screens. */
export function consoleClient(setup: () => Setup) {
  return {
    async signIn(role: "admin" | "commander" | "viewer" = "commander"): Promise<ConsoleSession> {
      const { app, testDb, clock } = setup();
      const { token } = await run(contextFor(testDb.db, clock), createToken, { name: `on call ${role}`, role });
      const response = await app.request(`${CONSOLE_ORIGIN}/admin/sign-in`, {
        method: "POST",
        headers: { Origin: CONSOLE_ORIGIN, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token }),
      });
      const cookie = (response.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
      const dashboard = await app.request(`${CONSOLE_ORIGIN}/admin`, { headers: { Cookie: cookie } });
      return { cookie, csrf: /name="csrf-token" content="([^"]+)"/.exec(await dashboard.text())?.[1] ?? "" };
    },
    /** Posts a console form as the session, with its CSRF token. */
    post(session: ConsoleSession, path: string, fields: Record<string, string>) {
      return setup().app.request(`${CONSOLE_ORIGIN}${path}`, {
        method: "POST",
        headers: {
          Origin: CONSOLE_ORIGIN,
          "Content-Type": "application/x-www-form-urlencoded",
          Cookie: session.cookie,
        },
        body: new URLSearchParams({ _csrf: session.csrf, ...fields }),
      });
    },
    /** A screen's HTML as the session sees it. */
    async page(session: ConsoleSession, path: string): Promise<string> {
      return (await setup().app.request(`${CONSOLE_ORIGIN}${path}`, { headers: { Cookie: session.cookie } })).text();
    },
  };
}
