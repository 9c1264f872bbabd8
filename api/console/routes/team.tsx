/** @jsxImportSource hono/jsx */
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { HeraldError } from "../../../core/actions/errors.ts";
import { run } from "../../../core/actions/run.ts";
import { handSessionToPerson } from "../../../core/console/sessions.ts";
import { incidentCommands } from "../../../core/escalation/incident-command.ts";
import {
  type EscalationLevelInput,
  readEscalationLevels,
  replaceEscalationPolicy,
} from "../../../core/escalation/policy.ts";
import { listIncidents } from "../../../core/incidents/load-incidents.ts";
import { getPage } from "../../../core/page/get-page.ts";
import { changePersonRole } from "../../../core/people/change-role.ts";
import { createFirstAccount, teamIsEmpty } from "../../../core/people/first-account.ts";
import { invitePerson } from "../../../core/people/invite-person.ts";
import { listPeople } from "../../../core/people/list-people.ts";
import { listPasskeys, removePersonPasskey } from "../../../core/people/passkeys/manage.ts";
import { personMailLog } from "../../../core/people/person-mail-log.ts";
import { endPersonSession, listPersonSessions, signPersonOutEverywhere } from "../../../core/people/person-sessions.ts";
import { removePerson } from "../../../core/people/remove-person.ts";
import { revokeInvitation } from "../../../core/people/revoke-invitation.ts";
import { issuerName } from "../../../core/people/sso/config.ts";
import { getSsoSettings, updateSsoSettings } from "../../../core/people/sso/sso-settings.ts";
import { incidentView } from "../../../core/public/site-views.ts";
import { policyFromForm } from "../policy-form.ts";
import { attempt, done, render } from "../render.ts";
import { EscalationPolicySection } from "../screens/escalation-policy.tsx";
import { PersonMailLogCard } from "../screens/person-mail-log.tsx";
import { actionContext, type ConsoleDeps, type ConsoleEnv, sessionSecret } from "../session.ts";
import { type FormValues, PostForm, type Refusal, RefusalSummary } from "../ui/form.tsx";
import { IncidentList } from "../ui/incident-list.tsx";
import { InviteCard } from "../ui/invite-card.tsx";
import { Layout, Notice, PageHead } from "../ui/layout.tsx";
import { PersonAccess } from "../ui/person-access.tsx";
import { domainsFromForm, FirstAccount, ROLES, SsoCard } from "../ui/team-cards.tsx";
import { Time } from "../ui/time.tsx";

export function teamRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const screen = async (
    c: Context<ConsoleEnv>,
    extra: { refusal?: Refusal; values?: FormValues; policy?: EscalationLevelInput[] } = {},
    status: ContentfulStatusCode = 200,
  ) => {
    const session = c.get("session");
    const ctx = actionContext(c, deps);
    const [page, team, empty, levels, open] = await Promise.all([
      getPage(deps.db),
      run(ctx, listPeople, {}),
      teamIsEmpty(ctx),
      readEscalationLevels(deps.db),
      listIncidents(deps.db, { open: true }),
    ]);
    const incidents = open.filter((i) => i.kind === "incident");
    const commands = await incidentCommands(deps.db, incidents, levels, deps.clock.now());
    const admin = session.actor.role === "admin";
    // An admin sees everyone's sessions and passkeys (a small team: two reads per person).
    const access = admin
      ? await Promise.all(
          team.people.map(async (p) => ({
            sessions: (await run(ctx, listPersonSessions, { id: p.id })).sessions,
            passkeys: await listPasskeys(deps.db, p.id),
          })),
        )
      : [];
    const sso = admin ? await run(ctx, getSsoSettings, {}) : null;
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
                    {admin && (
                      <PersonAccess
                        personId={p.id}
                        name={p.name}
                        self={p.id === session.actor.id}
                        sessions={access[i]?.sessions ?? []}
                        passkeys={access[i]?.passkeys ?? []}
                        csrf={session.csrfToken}
                        currentId={session.id}
                      />
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
          {admin && (
            <InviteCard
              csrf={session.csrfToken}
              invitations={team.invitations}
              refusal={extra.refusal}
              values={values}
            />
          )}
        </div>
        {sso && (
          <SsoCard
            csrf={session.csrfToken}
            issuer={deps.sso?.issuer ?? null}
            providerName={deps.sso ? issuerName(deps.sso) : null}
            settings={sso}
            refusal={extra.refusal}
            values={values}
          />
        )}
        {mailLog && <PersonMailLogCard log={mailLog} />}
        <div class="cols gap-top" id="escalation-slot">
          <EscalationPolicySection
            csrf={session.csrfToken}
            admin={admin}
            levels={extra.policy ?? levels}
            people={team.people}
            refusal={extra.policy ? extra.refusal : undefined}
          />
          <section class="card" aria-labelledby="commands-h">
            <div class="card-h">
              <h2 id="commands-h">Who commands what</h2>
              <p>Open incidents and their Incident Commanders</p>
            </div>
            <IncidentList
              incidents={incidents.map(incidentView)}
              now={deps.clock.now()}
              empty="No open incidents."
              commands={commands}
            />
          </section>
        </div>
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

  app.post("/team/escalation", async (c) => {
    const { levels } = policyFromForm(c.get("form"));
    const result = await attempt(() => run(actionContext(c, deps), replaceEscalationPolicy, { levels }));
    if (!result.ok) return screen(c, { refusal: result.refusal, policy: levels }, result.status);
    return done(c, "/admin/team", "policy-saved");
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
    "/team/:id/sessions/:session/end",
    (c) =>
      run(actionContext(c, deps), endPersonSession, {
        id: c.req.param("id") ?? "",
        session_id: c.req.param("session") ?? "",
      }),
    "session-ended",
  );
  post(
    "/team/:id/sign-out-everywhere",
    (c) => run(actionContext(c, deps), signPersonOutEverywhere, { id: c.req.param("id") ?? "" }),
    "signed-out-everywhere",
  );
  post(
    "/team/:id/passkeys/:passkey/remove",
    (c) =>
      run(actionContext(c, deps), removePersonPasskey, {
        id: c.req.param("id") ?? "",
        passkey_id: c.req.param("passkey") ?? "",
      }),
    "their-passkey-removed",
  );
  post(
    "/team/sso",
    (c) =>
      run(actionContext(c, deps), updateSsoSettings, {
        domains: domainsFromForm(c.get("form").domains),
        default_role: c.get("form").default_role ?? "",
      }),
    "sso-saved",
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
