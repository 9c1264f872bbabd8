/** @jsxImportSource hono/jsx */
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { run } from "../../../core/actions/run.ts";
import { getPage } from "../../../core/page/get-page.ts";
import { type CreatedToken, createToken } from "../../../core/tokens/create-token.ts";
import { listTokens } from "../../../core/tokens/list-tokens.ts";
import { revokeToken } from "../../../core/tokens/revoke-token.ts";
import { attempt, done, render } from "../render.ts";
import { actionContext, type ConsoleDeps, type ConsoleEnv } from "../session.ts";
import { errorsFor, Field, type FormValues, PostForm, type Refusal, RefusalSummary } from "../ui/form.tsx";
import { Icon } from "../ui/icons.tsx";
import { Layout, Notice, PageHead } from "../ui/layout.tsx";
import { Time } from "../ui/time.tsx";

const ROLES = [
  ["viewer", "Viewer: reads everything, changes nothing"],
  ["commander", "Commander: runs incidents, maintenance and components"],
  ["admin", "Admin: also tokens, imports, exports and deletions"],
] as const;

export function tokenRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const screen = async (
    c: Context<ConsoleEnv>,
    extra: { created?: CreatedToken; refusal?: Refusal; values?: FormValues } = {},
    status: ContentfulStatusCode = 200,
  ) => {
    const session = c.get("session");
    const [page, tokens] = await Promise.all([getPage(deps.db), run(actionContext(c, deps), listTokens, {})]);
    const values = extra.values ?? {};
    return render(
      c,
      <Layout title="API tokens" section="tokens" session={session} pageName={page.name}>
        <PageHead
          title="API tokens"
          lead="For the API, the CLI and signing in here. Only a hash of each secret is kept."
        />
        <Notice done={c.req.query("done")} />
        <RefusalSummary refusal={extra.refusal} />
        {extra.created && (
          <section class="card" aria-labelledby="secret-h">
            <div class="card-h">
              <h2 id="secret-h">{`Token “${extra.created.name}” created`}</h2>
            </div>
            <div class="card-b">
              <p>Copy the secret now: it is shown this once and cannot be recovered.</p>
              <code class="secret" id="new-secret">
                {extra.created.token}
              </code>
            </div>
          </section>
        )}
        <div class="cols gap-top">
          <section class="card" aria-labelledby="tokens-h">
            <div class="card-h">
              <h2 id="tokens-h">Tokens</h2>
              <p>{`${tokens.filter((t) => !t.revoked_at).length} working`}</p>
            </div>
            <ul class="list">
              {tokens.map((t) => (
                <li>
                  <div class="row">
                    <div class="grow">
                      <strong>{t.name}</strong> <span class="role">{t.role}</span>
                      <div class="meta">
                        {"Created "}
                        <Time at={t.created_at} />
                        {" · "}
                        {t.last_used_at ? (
                          <>
                            {"last used "}
                            <Time at={t.last_used_at} />
                          </>
                        ) : (
                          "never used"
                        )}
                        {t.from_environment ? " · from HERALD_ADMIN_TOKEN" : ""}
                        {" · "}
                        {t.owner === null ? (
                          "an integration (no owner)"
                        ) : t.owner.removed ? (
                          <strong class="error">{`owner removed: ${t.owner.name}`}</strong>
                        ) : (
                          `owned by ${t.owner.name}`
                        )}
                      </div>
                    </div>
                    {t.revoked_at ? (
                      <span class="status s-neutral">
                        <Icon name="xCircle" />
                        {"Revoked "}
                        <Time at={t.revoked_at} />
                      </span>
                    ) : (
                      <PostForm
                        action={`/admin/tokens/${t.id}/revoke`}
                        csrf={session.csrfToken}
                        confirm={`Revoke “${t.name}”? Its requests and console sessions stop at once.`}
                        label={`Revoke ${t.name}`}
                        ask="Revoke…"
                      >
                        <button class="btn btn-small btn-danger" type="submit">
                          {`Yes, revoke ${t.id === session.actor.id ? "(this session's token)" : ""}`.trim()}
                        </button>
                      </PostForm>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          </section>
          <section class="card" aria-labelledby="create-h">
            <div class="card-h">
              <h2 id="create-h">Create a token</h2>
            </div>
            <div class="card-b">
              <PostForm action="/admin/tokens" csrf={session.csrfToken} label="Create a token">
                <Field
                  id="token-name"
                  label="Name"
                  help="Who or what uses it, e.g. “CI deploys”."
                  errors={errorsFor(extra.refusal, "name")}
                >
                  {(aria) => <input {...aria} type="text" name="name" value={values.name ?? ""} required />}
                </Field>
                <fieldset>
                  <legend>Role</legend>
                  {ROLES.map(([role, label]) => (
                    <label class="check field" for={`role-${role}`}>
                      <input
                        type="radio"
                        id={`role-${role}`}
                        name="role"
                        value={role}
                        checked={(values.role ?? "commander") === role}
                      />
                      <span>{label}</span>
                    </label>
                  ))}
                  {errorsFor(extra.refusal, "role").length > 0 && (
                    <p class="error">{errorsFor(extra.refusal, "role").join("; ")}</p>
                  )}
                </fieldset>
                <button class="btn btn-primary" type="submit">
                  <Icon name="key" /> Create token
                </button>
              </PostForm>
            </div>
          </section>
        </div>
      </Layout>,
      status,
    );
  };
  app.get("/tokens", (c) => screen(c));

  app.post("/tokens", async (c) => {
    const form = c.get("form");
    const result = await attempt(() =>
      run(actionContext(c, deps), createToken, { name: form.name ?? "", role: form.role ?? "" }),
    );
    if (!result.ok) return screen(c, { refusal: result.refusal, values: form }, result.status);
    // The secret is shown once, in this answer (never in a URL a redirect would carry).
    return screen(c, { created: result.value }, 201);
  });

  app.post("/tokens/:id/revoke", async (c) => {
    const result = await attempt(() => run(actionContext(c, deps), revokeToken, { id: c.req.param("id") }));
    if (!result.ok) return screen(c, { refusal: result.refusal }, result.status);
    return done(c, "/admin/tokens", "revoked");
  });
}
