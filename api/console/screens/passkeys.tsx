/** @jsxImportSource hono/jsx */
import type { ConsoleSession } from "../../../core/console/sessions.ts";
import type { PasskeyListing } from "../../../core/people/passkeys/index.ts";
import { Csrf, PostForm } from "../ui/form.tsx";
import { Icon } from "../ui/icons.tsx";
import { Layout, Notice, PageHead } from "../ui/layout.tsx";
import { Time } from "../ui/time.tsx";

export function PasskeysScreen(props: {
  session: ConsoleSession;
  pageName: string;
  person: { id: string; name: string; email: string } | null;
  passkeys: PasskeyListing[];
  done: string | undefined;
  welcome: boolean;
}) {
  const { session, person } = props;
  return (
    <Layout title="Passkeys" section="me" session={session} pageName={props.pageName}>
      <PageHead
        title="Your passkeys"
        lead={
          props.welcome
            ? "Welcome. Add a passkey now, and next time you sign in with your fingerprint, face or screen lock: no link, no password."
            : "Sign in with your fingerprint, face or screen lock. A passkey stays on your device; Herald keeps only its public key."
        }
      />
      <Notice done={props.done} />
      {!person ? (
        <p class="notice">
          You are signed in with an API token. Passkeys belong to people: sign in as yourself to add one.
        </p>
      ) : (
        <div class="cols gap-top">
          <section class="card" aria-labelledby="passkeys-h">
            <div class="card-h">
              <h2 id="passkeys-h">Passkeys</h2>
              <p>{props.passkeys.length === 1 ? "1 passkey" : `${props.passkeys.length} passkeys`}</p>
            </div>
            {props.passkeys.length === 0 ? (
              <div class="card-b">
                <p class="meta">None yet: you sign in with an emailed link until you add one.</p>
              </div>
            ) : (
              <ul class="list">
                {props.passkeys.map((key) => (
                  <li>
                    <div class="row">
                      <div class="grow">
                        <strong>{key.name}</strong> {key.synced && <span class="role">synced</span>}
                        <div class="meta">
                          {"Added "}
                          <Time at={key.createdAt} />
                          {" · "}
                          {key.lastUsedAt ? (
                            <>
                              {"last used "}
                              <Time at={key.lastUsedAt} />
                            </>
                          ) : (
                            "never used"
                          )}
                        </div>
                      </div>
                      <PostForm
                        action={`/admin/passkeys/${encodeURIComponent(key.id)}/remove`}
                        csrf={session.csrfToken}
                        confirm={`Remove “${key.name}”? It will no longer sign you in.`}
                        label={`Remove ${key.name}`}
                        ask="Remove…"
                      >
                        <button class="btn btn-small btn-danger" type="submit">
                          Yes, remove
                        </button>
                      </PostForm>
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section class="card" aria-labelledby="add-passkey-h">
            <div class="card-h">
              <h2 id="add-passkey-h">Add a passkey</h2>
            </div>
            <div class="card-b">
              <p class="meta" id="passkey-unsupported">
                Adding a passkey needs JavaScript and a browser that supports passkeys.
              </p>
              <form id="passkey-add" aria-label="Add a passkey" hidden>
                <Csrf token={session.csrfToken} />
                <div class="field">
                  <label for="passkey-name">Name</label>
                  <input
                    type="text"
                    id="passkey-name"
                    name="name"
                    maxlength={60}
                    required
                    aria-describedby="passkey-name-help"
                  />
                  <p class="help" id="passkey-name-help">
                    So you can tell them apart, e.g. “Laptop” or “Phone”.
                  </p>
                </div>
                <div class="alert" role="alert" id="passkey-add-error" hidden />
                <button class="btn btn-primary" type="submit">
                  <Icon name="key" /> Add a passkey
                </button>
              </form>
            </div>
          </section>
        </div>
      )}
      <script src="/admin/assets/passkeys.js" defer />
    </Layout>
  );
}
