/** @jsxImportSource hono/jsx */

import type { PersonMailLog } from "../../../core/people/person-mail-log.ts";
import { notificationLabel } from "../ui/notifications.ts";
import { Time } from "../ui/time.tsx";

const STATE_WORDS = { queued: "queued", sending: "sending", sent: "sent", failed: "failed" } as const;

/** The Team page's delivery log of mail to people (admins): invitations and sign-in links, to whom, how it went. */
export function PersonMailLogCard(props: { log: PersonMailLog }) {
  const { mails } = props.log;
  return (
    <section class="card gap-top" aria-labelledby="person-mail-h">
      <div class="card-h">
        <h2 id="person-mail-h">Mail to people</h2>
        <p>Invitations and sign-in links, and how each went</p>
      </div>
      {mails.length === 0 ? (
        <p class="empty">No mail to people yet.</p>
      ) : (
        <ul class="list deliveries" aria-label="Mail to people">
          {mails.map((m) => (
            <li>
              <div class="row">
                <strong class="grow">
                  {`${notificationLabel(m.kind)} · to `}
                  {m.person && `${m.person} `}
                  <span class="mono">{m.address ?? "(erased)"}</span>
                </strong>
                <span class="meta">
                  <Time at={m.created_at} />
                </span>
              </div>
              <div class="meta">
                {m.state === "failed" ? (
                  <strong class="error">{`Failed after ${m.attempts} attempt${m.attempts === 1 ? "" : "s"}`}</strong>
                ) : (
                  `${m.state ? STATE_WORDS[m.state] : "queued"} · ${m.attempts} attempt${m.attempts === 1 ? "" : "s"}`
                )}
                {m.server_reply && ` · ${m.server_reply}`}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
