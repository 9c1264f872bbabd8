/** @jsxImportSource hono/jsx */
import { eq } from "drizzle-orm";
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { run } from "../../../core/actions/run.ts";
import { getPage } from "../../../core/page/get-page.ts";
import {
  finishPasskeyRegistration,
  listPasskeys,
  registrationResponse,
  startPasskeyRegistration,
} from "../../../core/people/passkeys/index.ts";
import { removeOwnPasskey } from "../../../core/people/passkeys/manage.ts";
import { people } from "../../../db/schema.ts";
import { done, render } from "../render.ts";
import { PasskeysScreen } from "../screens/passkeys.tsx";
import { actionContext, type ConsoleDeps, type ConsoleEnv } from "../session.ts";
import { consoleRelyingParty, parseAnswer, problem } from "./passkey-sign-in.ts";

/** A person's own passkeys (behind the session check): the list, adding one (with the script), removing one. */
export function passkeyRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  /** The signed-in person, or null for a token's session (passkeys belong to people). */
  const signedInPerson = async (c: Context<ConsoleEnv>) => {
    const { owner } = c.get("session");
    if (owner.kind !== "person") return null;
    const [person] = await deps.db
      .select({ id: people.id, name: people.name, email: people.email })
      .from(people)
      .where(eq(people.id, owner.id));
    return person ?? null;
  };

  const screen = async (c: Context<ConsoleEnv>, status: ContentfulStatusCode = 200) => {
    const person = await signedInPerson(c);
    const [page, keys] = await Promise.all([getPage(deps.db), person ? listPasskeys(deps.db, person.id) : []]);
    return render(
      c,
      <PasskeysScreen
        session={c.get("session")}
        pageName={page.name}
        person={person}
        passkeys={keys}
        done={c.req.query("done")}
        welcome={c.req.query("welcome") === "1"}
      />,
      status,
    );
  };
  app.get("/passkeys", (c) => screen(c));

  app.post("/passkeys/options", async (c) => {
    const person = await signedInPerson(c);
    if (!person) return problem(c, 403, "Not a person", "Passkeys belong to people: sign in as a person to add one.");
    const started = await startPasskeyRegistration(deps.db, deps.clock, await consoleRelyingParty(c, deps), person);
    return c.json(started);
  });

  app.post("/passkeys", async (c) => {
    const person = await signedInPerson(c);
    if (!person) return problem(c, 403, "Not a person", "Passkeys belong to people: sign in as a person to add one.");
    const form = c.get("form");
    const response = parseAnswer(registrationResponse, form.response);
    if (!response || !form.challengeId) {
      return problem(c, 400, "Not a passkey answer", "The browser's answer could not be read. Try again.");
    }
    const outcome = await finishPasskeyRegistration(
      deps.db,
      deps.clock,
      await consoleRelyingParty(c, deps),
      person,
      {
        challengeId: form.challengeId.slice(0, 64),
        name: form.name ?? "",
        response,
      },
      c.get("session").actor,
    );
    if (!outcome.ok && outcome.reason === "name") return problem(c, 422, "Not added", `Name: ${outcome.message}.`);
    if (!outcome.ok) {
      const why =
        outcome.reason === "duplicate"
          ? "That passkey is already added."
          : "The passkey could not be checked (the prompt may have timed out). Nothing was added; try again.";
      return problem(c, outcome.reason === "duplicate" ? 409 : 400, "Not added", why);
    }
    return c.json({ location: "/admin/passkeys?done=passkey-added" });
  });

  app.post("/passkeys/:id/remove", async (c) => {
    // A refusal (no such passkey of yours) is the console's error page.
    await run(actionContext(c, deps), removeOwnPasskey, { passkey_id: c.req.param("id") ?? "" });
    return done(c, "/admin/passkeys", "passkey-removed");
  });
}
