/** @jsxImportSource hono/jsx */
import type { SsoSettings } from "../../../core/people/sso/sso-settings.ts";
import { errorsFor, Field, type FormValues, PostForm, type Refusal, SelectField } from "./form.tsx";

/** The three roles as the Team page offers them. */
export const ROLES = [
  ["viewer", "Viewer: reads everything, changes nothing"],
  ["commander", "Commander: runs incidents, maintenance and components"],
  ["admin", "Admin: also people, tokens, imports and deletions"],
] as const;

export function FirstAccount(props: { csrf: string; refusal?: Refusal | undefined; values: FormValues }) {
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

/** The allowed domains as a form sends them: one per line, or separated by commas or spaces. */
export function domainsFromForm(text: string | undefined): string[] {
  return (text ?? "").split(/[\s,]+/).filter((domain) => domain !== "");
}

/**
 * Single sign-on for an admin: the provider in use (from OIDC_* in the environment, so read-only here), the
 * domains whose new people get an account at their first sign-in, and the role they get.
 */
export function SsoCard(props: {
  csrf: string;
  /** The configured issuer URL, or null when single sign-on is not set up. */
  issuer: string | null;
  providerName: string | null;
  settings: SsoSettings;
  refusal?: Refusal | undefined;
  values: FormValues;
}) {
  const { settings, values } = props;
  const domains = values.domains ?? settings.domains.join("\n");
  return (
    <section class="card gap-top" aria-labelledby="sso-h">
      <div class="card-h">
        <h2 id="sso-h">Single sign-on</h2>
        <p>
          {props.issuer
            ? `People sign in with ${props.providerName ?? "the provider"}; anyone already on the team may, whatever their domain.`
            : "Not set up: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET to offer it on the sign-in page."}
        </p>
      </div>
      <div class="card-b">
        <dl class="kv gap-bottom">
          <dt>Provider</dt>
          <dd class="mono">{props.issuer ?? "none"}</dd>
        </dl>
        <PostForm action="/admin/team/sso" csrf={props.csrf} label="Single sign-on settings">
          <Field
            id="sso-domains"
            label="Allowed domains"
            help="One per line. A new address on one of these becomes a person at its first sign-in; with none, only people already on the team get in. Exact match: example.com does not admit eng.example.com."
            errors={errorsFor(props.refusal, "domains")}
          >
            {(aria) => (
              <textarea {...aria} name="domains" rows={3} spellcheck={false} class="mono">
                {domains}
              </textarea>
            )}
          </Field>
          <SelectField
            id="sso-role"
            label="Role of a new person"
            name="default_role"
            chosen={values.default_role ?? settings.default_role}
            choices={ROLES}
            errors={errorsFor(props.refusal, "default_role")}
          />
          <button class="btn btn-primary" type="submit">
            Save single sign-on
          </button>
        </PostForm>
      </div>
    </section>
  );
}
