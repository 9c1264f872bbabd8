/** @jsxImportSource hono/jsx */
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { HeraldError } from "../../../core/actions/errors.ts";
import { run } from "../../../core/actions/run.ts";
import { handSessionToPerson, listPersonSessions } from "../../../core/console/sessions.ts";
import { getPage } from "../../../core/page/get-page.ts";
import { changePersonRole } from "../../../core/people/change-role.ts";
import { createFirstAccount, teamIsEmpty } from "../../../core/people/first-account.ts";
import { invitePerson } from "../../../core/people/invite-person.ts";
import { listPeople } from "../../../core/people/list-people.ts";
import { personMailLog } from "../../../core/people/person-mail-log.ts";
import { removePerson } from "../../../core/people/remove-person.ts";
import { revokeInvitation } from "../../../core/people/revoke-invitation.ts";
import { attempt, done, render } from "../render.ts";
import { PersonMailLogCard } from "../screens/person-mail-log.tsx";
import { actionContext, type ConsoleDeps, type ConsoleEnv, sessionSecret } from "../session.ts";
import { errorsFor, Field, type FormValues, PostForm, type Refusal, RefusalSummary, SelectField } from "../ui/form.tsx";
import { Icon } from "../ui/icons.tsx";
import { Layout, Notice, PageHead } from "../ui/layout.tsx";
import { Time } from "../ui/time.tsx";

const ROLES = [
  ["viewer", "Viewer: reads everything, changes nothing"],
  ["commander", "Commander: runs incidents, maintenance and components"],
  ["admin", "Admin: also people, tokens, imports and deletions"],
] as const;

function FirstAccount(props: { csrf: string; refusal?: Refusal | undefined; values: FormValues }) {
  return (
    <section class="card" aria-labelledby="first-h">
      <div class="card-h">
        <h2 id="first-h">Create the first account</h2>
        <p>You signed in with a token. Make yourself the team's first admin: this session becomes yours.</p>
      </div>
      <div class="card-b">
        <PostForm action="/admin/team/first-account" csrf={props.csrf} label="Create the first account">
          <Field id="first-name" label="Your name" errors={errorsFor(props.refusal, "name")}>
            {(aria) => <input {...aria} type="text" name="name" value={props.values.name ?? ""} required />}
          </Field>
          <Field id="first-email" label="Your email address" errors={errorsFor(props.refusal, "email")}>
            {(aria) => <input {...aria} type="email" name="email" value={props.values.email ?? ""} required />}
          </Field>
          <button class="btn btn-primary" type="submit">
            Create my account
          </button>
        </PostForm>
      </div>
    </section>
  );
}

export function teamRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const screen = async (
    c: Context<ConsoleEnv>,
    extra: { refusal?: Refusal; values?: FormValues } = {},
    status: ContentfulStatusCode = 200,
  ) => {
    const session = c.get("session");
    const ctx = actionContext(c, deps);
    const [page, team, empty] = await Promise.all([getPage(deps.db), run(ctx, listPeople, {}), teamIsEmpty(ctx)]);
    const admin = session.actor.role === "admin";
    const sessions = admin
      ? await Promise.all(team.people.map((p) => listPersonSessions(deps.db, deps.clock, p.id)))
      : [];
    const mailLog = admin ? await run(ctx, personMailLog, {}) : null;
    const values = extra.values ?? {};
    return render(
      c,
      <Layout title="Team" section="team" session={session} pageName={page.name}>
        <PageHead title="Team" lead="The people who sign in here, their roles and sessions, and who is invited." />
        <Notice done={c.req.query("done")} />
        <RefusalSummary refusal={extra.refusal} />
        {empty && admin && session.owner.kind === "token" && (
          <FirstAccount csrf={session.csrfToken} refusal={extra.refusal} values={values} />
        )}
        <div class="cols gap-top">
          <section class="card" aria-labelledby="people-h">
            <div class="card-h">
              <h2 id="people-h">People</h2>
              <p>{`${team.people.length} on the team`}</p>
            </div>
            {team.people.length === 0 ? (
              <p class="card-b">Nobody yet: invite the team.</p>
            ) : (
              <ul class="list">
                {team.people.map((p, i) => (
                  <li>
                    <div class="row">
                      <div class="grow">
                        <strong>{p.name}</strong> <span class="role">{p.role}</span>
                        <div class="meta">
                          {p.email}
                          {" · "}
                          {p.last_sign_in_at ? (
                            <>
                              {"signed in "}
                              <Time at={p.last_sign_in_at} />
                            </>
                          ) : (
                            "never signed in"
                          )}
                          {admin ? ` · ${sessions[i]?.length ?? 0} live session(s)` : ""}
                        </div>
                      </div>
                      {admin && p.id !== session.actor.id && (
                        <>
                          <PostForm
                            action={`/admin/team/${p.id}/role`}
                            csrf={session.csrfToken}
                            label={`Role of ${p.name}`}
                            class="inline"
                          >
                            <label class="visually-hidden" for={`role-${p.id}`}>{`Role of ${p.name}`}</label>
                            <select id={`role-${p.id}`} name="role">
                              {ROLES.map(([role]) => (
                                <option value={role} selected={p.role === role}>
                                  {role}
                                </option>
                              ))}
                            </select>{" "}
                            <button class="btn btn-small" type="submit">
                              Change role
                            </button>
                          </PostForm>
                          <PostForm
                            action={`/admin/team/${p.id}/remove`}
                            csrf={session.csrfToken}
                            confirm={`Remove ${p.name}? Their console sessions end at once.`}
                            label={`Remove ${p.name}`}
                            ask="Remove…"
                          >
                            <button class="btn btn-small btn-danger" type="submit">
                              Yes, remove
                            </button>
                          </PostForm>
                        </>
                      )}
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
          {admin && (
            <section class="card" aria-labelledby="invite-h">
              <div class="card-h">
                <h2 id="invite-h">Invite someone</h2>
                <p>They get a link by email that works once, for 7 days.</p>
              </div>
              <div class="card-b">
                <PostForm action="/admin/team/invite" csrf={session.csrfToken} label="Invite someone">
                  <Field id="invite-email" label="Email address" errors={errorsFor(extra.refusal, "email")}>
                    {(aria) => <input {...aria} type="email" name="email" value={values.email ?? ""} required />}
                  </Field>
                  <SelectField
                    id="invite-role"
                    label="Role"
                    name="role"
                    chosen={values.role ?? "commander"}
                    choices={ROLES}
                    errors={errorsFor(extra.refusal, "role")}
                  />
                  <button class="btn btn-primary" type="submit">
                    <Icon name="users" /> Send invitation
                  </button>
                </PostForm>
                <h3>Pending invitations</h3>
                {team.invitations.length === 0 ? (
                  <p class="meta">None.</p>
                ) : (
                  <ul class="list">
                    {team.invitations.map((inv) => (
                      <li>
                        <div class="row">
                          <div class="grow">
                            <strong>{inv.email}</strong> <span class="role">{inv.role}</span>
                            <div class="meta">
                              {"expires "}
                              <Time at={inv.expires_at} />
                            </div>
                          </div>
                          <PostForm
                            action={`/admin/team/invitations/${inv.id}/revoke`}
                            csrf={session.csrfToken}
                            label={`Withdraw the invitation of ${inv.email}`}
                          >
                            <button class="btn btn-small" type="submit">
                              Withdraw
                            </button>
                          </PostForm>
                        </div>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            </section>
          )}
        </div>
        {mailLog && <PersonMailLogCard log={mailLog} />}
        {/* Escalation policy: filled in by the escalation slice (docs/team.md, "Escalation"). */}
        <div id="escalation-slot" />
      </Layout>,
      status,
    );
  };

  app.get("/team", (c) => screen(c));

  const post = (path: string, work: (c: Context<ConsoleEnv>) => Promise<unknown>, what: string) =>
    app.post(path, async (c) => {
      const result = await attempt(() => work(c));
      if (!result.ok) return screen(c, { refusal: result.refusal, values: c.get("form") }, result.status);
      return done(c, "/admin/team", what);
    });

  post(
    "/team/invite",
    (c) =>
      run(actionContext(c, deps), invitePerson, { email: c.get("form").email ?? "", role: c.get("form").role ?? "" }),
    "invited",
  );
  post(
    "/team/:id/role",
    (c) =>
      run(actionContext(c, deps), changePersonRole, { id: c.req.param("id") ?? "", role: c.get("form").role ?? "" }),
    "saved",
  );
  post(
    "/team/:id/remove",
    (c) => run(actionContext(c, deps), removePerson, { id: c.req.param("id") ?? "" }),
    "removed",
  );
  post(
    "/team/invitations/:id/revoke",
    (c) => run(actionContext(c, deps), revokeInvitation, { id: c.req.param("id") ?? "" }),
    "withdrawn",
  );
  post(
    "/team/first-account",
    async (c) => {
      if (c.get("session").owner.kind !== "token")
        throw new HeraldError("conflict", "You are signed in as a person already.");
      const form = c.get("form");
      const person = await createFirstAccount(actionContext(c, deps), {
        name: form.name ?? "",
        email: form.email ?? "",
      });
      const secret = sessionSecret(c);
      if (secret) await handSessionToPerson(deps.db, secret, person.id);
    },
    "saved",
  );
}
