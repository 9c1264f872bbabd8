/** @jsxImportSource hono/jsx */
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { run } from "../../../core/actions/run.ts";
import { endPersonSession, endPersonSessions, listPersonSessions } from "../../../core/console/sessions.ts";
import { getPage } from "../../../core/page/get-page.ts";
import { renameSelf } from "../../../core/people/rename-self.ts";
import { attempt, done, render } from "../render.ts";
import { actionContext, type ConsoleDeps, type ConsoleEnv, sessionSecret } from "../session.ts";
import { errorsFor, Field, PostForm, type Refusal, RefusalSummary } from "../ui/form.tsx";
import { Layout, Notice, PageHead } from "../ui/layout.tsx";
import { Time } from "../ui/time.tsx";

/** A person's own settings: their name and their sessions (a token's session has none: it goes to the dashboard). */
export function meRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const screen = async (c: Context<ConsoleEnv>, refusal?: Refusal, status: ContentfulStatusCode = 200) => {
    const session = c.get("session");
    if (session.owner.kind !== "person") return c.redirect("/admin", 303);
    const [page, sessions] = await Promise.all([
      getPage(deps.db),
      listPersonSessions(deps.db, deps.clock, session.owner.id, sessionSecret(c)),
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
            <ul class="list">
              {sessions.map((s) => (
                <li>
                  <div class="row">
                    <div class="grow">
                      {"Signed in "}
                      <Time at={s.created_at} />
                      {s.current ? " · this browser" : ""}
                      <div class="meta">
                        {"ends "}
                        <Time at={s.expires_at} />
                      </div>
                    </div>
                    {!s.current && (
                      <PostForm
                        action={`/admin/me/sessions/${s.id}/end`}
                        csrf={session.csrfToken}
                        label="End this session"
                      >
                        <button class="btn btn-small" type="submit">
                          End
                        </button>
                      </PostForm>
                    )}
                  </div>
                </li>
              ))}
            </ul>
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

  app.post("/me/sessions/:id/end", async (c) => {
    const { owner } = c.get("session");
    if (owner.kind === "person") await endPersonSession(deps.db, deps.clock, owner.id, c.req.param("id"));
    return done(c, "/admin/me", "session-ended");
  });

  app.post("/me/sign-out-everywhere", async (c) => {
    const { owner } = c.get("session");
    if (owner.kind === "person") await endPersonSessions(deps.db, owner.id, sessionSecret(c));
    return done(c, "/admin/me", "signed-out-elsewhere");
  });
}
