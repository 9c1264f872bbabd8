/** @jsxImportSource hono/jsx */
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { run } from "../../../core/actions/run.ts";
import { getPage } from "../../../core/page/get-page.ts";
import { endOwnSession, listOwnSessions, signOutEverywhereElse } from "../../../core/people/person-sessions.ts";
import { renameSelf } from "../../../core/people/rename-self.ts";
import { attempt, done, render } from "../render.ts";
import { actionContext, type ConsoleDeps, type ConsoleEnv } from "../session.ts";
import { errorsFor, Field, PostForm, type Refusal, RefusalSummary } from "../ui/form.tsx";
import { Layout, Notice, PageHead } from "../ui/layout.tsx";
import { SessionList } from "../ui/person-access.tsx";

/** A person's own settings: their name and their sessions (a token's session has none: it goes to the dashboard). */
export function meRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const screen = async (c: Context<ConsoleEnv>, refusal?: Refusal, status: ContentfulStatusCode = 200) => {
    const session = c.get("session");
    if (session.owner.kind !== "person") return c.redirect("/admin", 303);
    const [page, { sessions }] = await Promise.all([
      getPage(deps.db),
      run(actionContext(c, deps), listOwnSessions, {}),
    ]);
    return render(
      c,
      <Layout title="Your settings" section="me" session={session} pageName={page.name}>
        <PageHead
          title="Your settings"
          lead="Your name as the team and the audit log see it, and where you are signed in."
        />
        <Notice done={c.req.query("done")} />
        <RefusalSummary refusal={refusal} />
        <div class="cols gap-top">
          <section class="card" aria-labelledby="name-h">
            <div class="card-h">
              <h2 id="name-h">Name</h2>
            </div>
            <div class="card-b">
              <PostForm action="/admin/me/name" csrf={session.csrfToken} label="Change your name">
                <Field id="my-name" label="Name" errors={errorsFor(refusal, "name")}>
                  {(aria) => <input {...aria} type="text" name="name" value={session.actor.name} required />}
                </Field>
                <button class="btn btn-primary" type="submit">
                  Save
                </button>
              </PostForm>
            </div>
          </section>
          <section class="card" aria-labelledby="passkeys-h">
            <div class="card-h">
              <h2 id="passkeys-h">Passkeys</h2>
            </div>
            <div class="card-b">
              <p>Sign in with your fingerprint, face or screen lock instead of an emailed link.</p>
              <a class="btn" href="/admin/passkeys">
                Your passkeys
              </a>
            </div>
          </section>
          <section class="card" aria-labelledby="sessions-h">
            <div class="card-h">
              <h2 id="sessions-h">Sessions</h2>
              <p>{`${sessions.length} signed in`}</p>
            </div>
            <div class="card-b">
              <SessionList
                sessions={sessions}
                csrf={session.csrfToken}
                currentId={session.id}
                endAction={(id) => `/admin/me/sessions/${id}/end`}
                whose="your"
              />
            </div>
            <div class="card-b">
              <PostForm
                action="/admin/me/sign-out-everywhere"
                csrf={session.csrfToken}
                label="Sign out everywhere else"
              >
                <button class="btn btn-danger" type="submit">
                  Sign out everywhere else
                </button>
              </PostForm>
            </div>
          </section>
        </div>
      </Layout>,
      status,
    );
  };

  app.get("/me", (c) => screen(c));

  app.post("/me/name", async (c) => {
    const result = await attempt(() => run(actionContext(c, deps), renameSelf, { name: c.get("form").name ?? "" }));
    if (!result.ok) return screen(c, result.refusal, result.status);
    return done(c, "/admin/me", "saved");
  });

  const post = (path: string, work: (c: Context<ConsoleEnv>) => Promise<unknown>, what: string) =>
    app.post(path, async (c) => {
      const result = await attempt(() => work(c));
      if (!result.ok) return screen(c, result.refusal, result.status);
      return done(c, "/admin/me", what);
    });
  post(
    "/me/sessions/:id/end",
    (c) => run(actionContext(c, deps), endOwnSession, { session_id: c.req.param("id") ?? "" }),
    "session-ended",
  );
  post(
    "/me/sign-out-everywhere",
    (c) => run(actionContext(c, deps), signOutEverywhereElse, { keep_session_id: c.get("session").id }),
    "signed-out-elsewhere",
  );
}
