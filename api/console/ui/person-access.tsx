/** @jsxImportSource hono/jsx */
import type { PasskeyListing } from "../../../core/people/passkeys/manage.ts";
import type { PersonSession } from "../../../core/people/person-sessions.ts";
import { PostForm } from "./form.tsx";
import { Time } from "./time.tsx";

/** Where someone is signed in: each session's browser, when it began and was last seen; an End button where allowed. */
export function SessionList(props: {
  sessions: PersonSession[];
  csrf: string;
  /** The session showing this screen ("this browser"); it has no End button. */
  currentId?: string | undefined;
  /** Where a session's End form posts; null: nobody here may end it. */
  endAction: ((sessionId: string) => string) | null;
  /** Whose sessions, for the buttons' accessible names: "Ada's", "your". */
  whose: string;
}) {
  if (props.sessions.length === 0) return <p class="meta">Signed in nowhere.</p>;
  return (
    <ul class="list list-tight">
      {props.sessions.map((s) => {
        const browser = s.device ?? s.user_agent ?? "An unknown browser";
        return (
          <li>
            <div class="row">
              <div class="grow">
                <span title={s.user_agent ?? undefined}>{browser}</span>
                {s.id === props.currentId ? <strong> · this browser</strong> : ""}
                <div class="meta">
                  {"signed in "}
                  <Time at={s.created_at} />
                  {s.last_seen_at && (
                    <>
                      {" · last seen "}
                      <Time at={s.last_seen_at} />
                    </>
                  )}
                  {" · ends "}
                  <Time at={s.expires_at} />
                </div>
              </div>
              {props.endAction && s.id !== props.currentId && (
                <PostForm
                  action={props.endAction(s.id)}
                  csrf={props.csrf}
                  label={`End ${props.whose} session in ${browser}`}
                >
                  <button class="btn btn-small" type="submit">
                    End session
                  </button>
                </PostForm>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}

/** Someone's passkeys: name, when added and last used; Remove… (with a confirmation) where allowed. */
export function PasskeyList(props: {
  passkeys: PasskeyListing[];
  csrf: string;
  removeAction: ((passkeyId: string) => string) | null;
  owner: string;
}) {
  if (props.passkeys.length === 0) return <p class="meta">No passkeys.</p>;
  return (
    <ul class="list list-tight">
      {props.passkeys.map((p) => (
        <li>
          <div class="row">
            <div class="grow">
              {p.name}
              {p.synced ? <span class="meta"> · synced</span> : ""}
              <div class="meta">
                {"added "}
                <Time at={p.createdAt} />
                {" · "}
                {p.lastUsedAt ? (
                  <>
                    {"last used "}
                    <Time at={p.lastUsedAt} />
                  </>
                ) : (
                  "never used"
                )}
              </div>
            </div>
            {props.removeAction && (
              <PostForm
                action={props.removeAction(p.id)}
                csrf={props.csrf}
                confirm={`Remove the passkey "${p.name}"? It no longer signs ${props.owner} in.`}
                label={`Remove ${props.owner}'s passkey ${p.name}`}
                ask="Remove…"
              >
                <button class="btn btn-small btn-danger" type="submit">
                  Yes, remove
                </button>
              </PostForm>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}

const count = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** A person's sessions and passkeys on the Team page (an admin's view); their own are managed in Your settings. */
export function PersonAccess(props: {
  personId: string;
  name: string;
  /** The admin looking is this person: their own are managed in Your settings, not here. */
  self: boolean;
  sessions: PersonSession[];
  passkeys: PasskeyListing[];
  csrf: string;
  currentId: string;
}) {
  const { personId, name, self, csrf } = props;
  const base = `/admin/team/${personId}`;
  return (
    <details class="access" id={`access-${personId}`}>
      <summary>{`${count(props.sessions.length, "session")} · ${count(props.passkeys.length, "passkey")}`}</summary>
      <h3>Signed in</h3>
      <SessionList
        sessions={props.sessions}
        csrf={csrf}
        currentId={props.currentId}
        endAction={self ? null : (sessionId) => `${base}/sessions/${sessionId}/end`}
        whose={`${name}'s`}
      />
      {!self && props.sessions.length > 0 && (
        <PostForm
          action={`${base}/sign-out-everywhere`}
          csrf={csrf}
          confirm={`Sign ${name} out everywhere? Every session of theirs ends at once.`}
          label={`Sign ${name} out everywhere`}
          ask="Sign out everywhere…"
        >
          <button class="btn btn-small btn-danger" type="submit">
            Yes, sign out everywhere
          </button>
        </PostForm>
      )}
      <h3>Passkeys</h3>
      <PasskeyList
        passkeys={props.passkeys}
        csrf={csrf}
        removeAction={self ? null : (passkeyId) => `${base}/passkeys/${encodeURIComponent(passkeyId)}/remove`}
        owner={name}
      />
      {self && (
        <p class="meta">
          {"Yours: manage them in "}
          <a href="/admin/me">Your settings</a>.
        </p>
      )}
    </details>
  );
}
