/** @jsxImportSource hono/jsx */
import type { InvitationSummary } from "../../../core/people/schemas.ts";
import { errorsFor, Field, type FormValues, PostForm, type Refusal, SelectField } from "./form.tsx";
import { Icon } from "./icons.tsx";
import { ROLES } from "./team-cards.tsx";
import { Time } from "./time.tsx";

/** The Team page's card to invite someone, with the invitations still pending (an admin's). */
export function InviteCard(props: {
  csrf: string;
  invitations: InvitationSummary[];
  refusal?: Refusal | undefined;
  values: FormValues;
}) {
  const { csrf, invitations, refusal, values } = props;
  return (
    <section class="card" aria-labelledby="invite-h">
      <div class="card-h">
        <h2 id="invite-h">Invite someone</h2>
        <p>They get a link by email that works once, for 7 days.</p>
      </div>
      <div class="card-b">
        <PostForm action="/admin/team/invite" csrf={csrf} label="Invite someone">
          <Field id="invite-email" label="Email address" errors={errorsFor(refusal, "email")}>
            {(aria) => <input {...aria} type="email" name="email" value={values.email ?? ""} required />}
          </Field>
          <SelectField
            id="invite-role"
            label="Role"
            name="role"
            chosen={values.role ?? "commander"}
            choices={ROLES}
            errors={errorsFor(refusal, "role")}
          />
          <button class="btn btn-primary" type="submit">
            <Icon name="users" /> Send invitation
          </button>
        </PostForm>
        <h3 class="gap-top">Pending invitations</h3>
        {invitations.length === 0 ? (
          <p class="meta">None.</p>
        ) : (
          <ul class="list">
            {invitations.map((inv) => (
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
                    csrf={csrf}
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
  );
}
