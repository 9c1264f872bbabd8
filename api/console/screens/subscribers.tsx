/** @jsxImportSource hono/jsx */
import type { ConsoleSession } from "../../../core/console/sessions.ts";
import type { ImportReport } from "../../../core/subscribers/admin/import-subscribers.ts";
import type { SubscriberCounts } from "../../../core/subscribers/admin/list-subscribers.ts";
import { SUBSCRIBER_CHANNELS, SUBSCRIBER_STATES } from "../../../core/subscribers/admin/schemas.ts";
import type { AdminSubscriber } from "../../../core/subscribers/admin/subscriber-view.ts";
import { errorsFor, Field, PostForm, type Refusal, RefusalSummary } from "../ui/form.tsx";
import { Layout, Notice, PageHead } from "../ui/layout.tsx";
import { Time } from "../ui/time.tsx";

export type SubscriberFilterValues = { q: string; state: string; channel: string };

const STATE_LABELS: Record<(typeof SUBSCRIBER_STATES)[number], string> = {
  unconfirmed: "Unconfirmed",
  active: "Active",
  quarantined: "Quarantined",
  unsubscribed: "Unsubscribed",
  disabled: "Disabled",
};

function filterQuery(filter: SubscriberFilterValues, after?: string): string {
  const params = new URLSearchParams();
  if (filter.q) params.set("q", filter.q);
  if (filter.state) params.set("state", filter.state);
  if (filter.channel) params.set("channel", filter.channel);
  if (after) params.set("after", after);
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function SubscribersScreen(props: {
  session: ConsoleSession;
  pageName: string;
  counts: SubscriberCounts;
  subscribers: AdminSubscriber[];
  nextAfter: string | null;
  filter: SubscriberFilterValues;
  done?: string | undefined;
  refusal?: Refusal | undefined;
  imported?: ImportReport | undefined;
  csv?: string | undefined;
}) {
  const { session, counts, filter } = props;
  const role = session.actor.role;
  const back = `/admin/subscribers${filterQuery(filter)}`;
  return (
    <Layout title="Subscribers" section="subscribers" session={session} pageName={props.pageName}>
      <PageHead
        title="Subscribers"
        lead="Who hears about incidents and maintenance, by email and webhook."
        actions={
          role === "admin" && (
            <a class="btn" href="/admin/subscribers/export" download="subscribers.csv">
              Export CSV
            </a>
          )
        }
      />
      <Notice done={props.done} />
      <RefusalSummary refusal={props.refusal} />
      {props.imported && (
        <div class="notice" role="status">
          <strong>{`${props.imported.accepted} imported.`}</strong>
          {props.imported.refused.length > 0 && (
            <>
              {` ${props.imported.refused.length} rows were not imported:`}
              <ul>
                {props.imported.refused.slice(0, 50).map((r) => (
                  <li>{`Line ${r.line}${r.address ? ` (${r.address})` : ""}: ${r.reason}`}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      <div class="grid">
        <div class="stats">
          <div class="stat">
            <div class="n">{counts.total}</div>
            <div class="l">All subscribers</div>
          </div>
          {SUBSCRIBER_STATES.map((s) => (
            <div class="stat">
              <div class="n">{counts.by_state[s]}</div>
              <div class="l">{STATE_LABELS[s]}</div>
            </div>
          ))}
        </div>
        <section class="card" aria-labelledby="list-h">
          <div class="card-h">
            <h2 id="list-h">Search</h2>
            <p>{counts.matching !== undefined ? `${counts.matching} matching` : `${counts.total} in all`}</p>
          </div>
          <div class="card-b">
            <form method="get" action="/admin/subscribers" class="filters" aria-label="Search subscribers">
              <div class="field">
                <label for="q">{role === "admin" ? "Address contains" : "Whole address"}</label>
                <input type="search" id="q" name="q" value={filter.q} />
              </div>
              <div class="field">
                <label for="state">State</label>
                <select id="state" name="state">
                  <option value="">Any</option>
                  {SUBSCRIBER_STATES.map((s) => (
                    <option value={s} selected={filter.state === s}>
                      {STATE_LABELS[s]}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label for="channel">Channel</label>
                <select id="channel" name="channel">
                  <option value="">Any</option>
                  {SUBSCRIBER_CHANNELS.map((s) => (
                    <option value={s} selected={filter.channel === s}>
                      {s === "email" ? "Email" : "Webhook"}
                    </option>
                  ))}
                </select>
              </div>
              <button class="btn" type="submit">
                Search
              </button>
            </form>
          </div>
          {props.subscribers.length === 0 ? (
            <p class="empty">No subscribers match.</p>
          ) : (
            <section class="table-wrap" tabindex={0} aria-label="Subscribers">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Address</th>
                    <th scope="col">State</th>
                    <th scope="col">Since</th>
                    {role !== "viewer" && <th scope="col">Actions</th>}
                  </tr>
                </thead>
                <tbody>
                  {props.subscribers.map((s) => (
                    <tr>
                      <td>
                        <span class="mono">{s.address}</span>
                        <div class="meta">
                          {`${s.channel === "email" ? "Email" : "Webhook"}${s.team ? " · team" : ""} · ${s.all_components ? "whole page" : `${s.component_ids.length} component(s)`}`}
                        </div>
                      </td>
                      <td>{STATE_LABELS[s.state]}</td>
                      <td class="meta">
                        <Time at={s.created_at} />
                      </td>
                      {role !== "viewer" && (
                        <td>
                          <div class="actions">
                            {s.state === "quarantined" ? (
                              <PostForm
                                action={`/admin/subscribers/${s.id}/unquarantine`}
                                csrf={session.csrfToken}
                                label={`Unquarantine ${s.address}`}
                              >
                                <input type="hidden" name="back" value={back} />
                                <button class="btn btn-small" type="submit">
                                  Unquarantine
                                </button>
                              </PostForm>
                            ) : (
                              <PostForm
                                action={`/admin/subscribers/${s.id}/quarantine`}
                                csrf={session.csrfToken}
                                label={`Quarantine ${s.address}`}
                              >
                                <input type="hidden" name="back" value={back} />
                                <button class="btn btn-small" type="submit">
                                  Quarantine
                                </button>
                              </PostForm>
                            )}
                            {role === "admin" && s.channel === "webhook" && s.source !== "form" && (
                              <PostForm
                                action={`/admin/subscribers/${s.id}/${s.team ? "unmark-team" : "mark-team"}`}
                                csrf={session.csrfToken}
                                label={`${s.team ? "Stop sending team events to" : "Send team events to"} ${s.address}`}
                              >
                                <input type="hidden" name="back" value={back} />
                                <button class="btn btn-small" type="submit">
                                  {s.team ? "Not the team's" : "The team's own"}
                                </button>
                              </PostForm>
                            )}
                            {role === "admin" && (
                              <PostForm
                                action={`/admin/subscribers/${s.id}/erase`}
                                csrf={session.csrfToken}
                                confirm={`Erase ${s.address} and every trace of it?`}
                                label={`Erase ${s.address}`}
                                ask="Erase…"
                              >
                                <input type="hidden" name="back" value={back} />
                                <button class="btn btn-small btn-danger" type="submit">
                                  Yes, erase
                                </button>
                              </PostForm>
                            )}
                          </div>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
          {props.nextAfter && (
            <div class="card-b">
              <a class="btn" href={`/admin/subscribers${filterQuery(filter, props.nextAfter)}`}>
                Next page
              </a>
            </div>
          )}
        </section>
        {role === "admin" && (
          <section class="card" aria-labelledby="import-h">
            <div class="card-h">
              <h2 id="import-h">Import</h2>
              <p>Confirmed email subscribers from CSV</p>
            </div>
            <div class="card-b">
              <PostForm
                action="/admin/subscribers/import"
                csrf={session.csrfToken}
                enctype="multipart/form-data"
                label="Import subscribers"
              >
                <Field
                  id="csv-file"
                  label="CSV file"
                  help="A header row with an address column; optional components (ids or names, ;-separated) and state."
                >
                  {(aria) => <input {...aria} type="file" name="file" accept=".csv,text/csv" />}
                </Field>
                <Field id="csv-text" label="…or paste CSV" errors={errorsFor(props.refusal, "csv")}>
                  {(aria) => (
                    <textarea {...aria} name="csv" rows={4}>
                      {props.csv ?? ""}
                    </textarea>
                  )}
                </Field>
                <button class="btn btn-primary" type="submit">
                  Import
                </button>
              </PostForm>
            </div>
          </section>
        )}
      </div>
    </Layout>
  );
}
