/** @jsxImportSource hono/jsx */

import type { IncidentDeliveries } from "../../../core/notifications/incident-deliveries.ts";
import type { SubscriberChannel } from "../../../core/subscribers/admin/schemas.ts";
import { audienceOf, notificationLabel } from "../ui/notifications.ts";
import { Time } from "../ui/time.tsx";

export function DeliverySummary(props: { deliveries: IncidentDeliveries; updateId: string }) {
  const events = props.deliveries.events.filter((e) => e.update_id === props.updateId);
  if (events.length === 0) return <span class="meta">No notifications</span>;
  const sum = (key: "queued" | "sent" | "failed") => events.reduce((n, e) => n + e[key], 0);
  const failed = sum("failed");
  return (
    <span class="meta">
      {`Notifications: ${sum("sent")} sent · ${sum("queued")} queued · `}
      {failed > 0 ? <strong class="error">{`${failed} failed`}</strong> : "0 failed"}
    </span>
  );
}

export function DeliveryLog(props: { deliveries: IncidentDeliveries }) {
  const { events, failing } = props.deliveries;
  const eventsById = new Map(events.map((e) => [e.id, e]));
  return (
    <section class="card" aria-labelledby="deliveries-h">
      <div class="card-h">
        <h2 id="deliveries-h">Delivery log</h2>
        <p>How each one went</p>
      </div>
      {events.length === 0 ? (
        <p class="empty">Nothing was sent for this incident.</p>
      ) : (
        <ul class="list deliveries" aria-label="Notifications">
          {events.map((e) => (
            <li>
              <div class="row">
                <strong class="grow">
                  {`${notificationLabel(e.kind)} · to `}
                  {e.recipient ? recipientName(e.recipient) : audienceOf(e.kind)}
                </strong>
                <span class="meta">
                  <Time at={e.created_at} />
                </span>
              </div>
              <div class="meta">
                {`${e.sent} sent · ${e.queued} queued · `}
                {e.failed > 0 ? <strong class="error">{`${e.failed} failed`}</strong> : "0 failed"}
                {e.bounced + e.complained > 0 && ` · ${e.bounced} bounced · ${e.complained} marked as spam`}
              </div>
            </li>
          ))}
        </ul>
      )}
      {failing.length > 0 && (
        <>
          <h3 class="card-sub" id="failing-h">
            Failed deliveries
          </h3>
          <ul class="list deliveries" aria-labelledby="failing-h">
            {failing.map((f) => {
              const event = eventsById.get(f.event_id);
              return (
                <li>
                  <div class="row">
                    <strong class="grow">
                      {`${event ? notificationLabel(event.kind) : "Notification"} · ${channelLabel(f.channel)} to `}
                      <span class="mono">{f.address ?? "(erased subscriber)"}</span>
                    </strong>
                    {event && (
                      <span class="meta">
                        <Time at={event.created_at} />
                      </span>
                    )}
                  </div>
                  <div class="meta">
                    <strong class="error">{`Failed after ${f.attempts} attempt${f.attempts === 1 ? "" : "s"}`}</strong>
                    {` · ${f.server_reply ?? f.last_error ?? "no reply recorded"}`}
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}

function channelLabel(channel: SubscriberChannel | null): string {
  return channel === "webhook" ? "Webhook" : channel === "email" ? "Email" : "Message";
}

/**
 * When it started; a maintenance that has not begun says when it starts, and one cancelled before it
 * began says neither (its window and cancellation are shown above).
 */

/** Whose an addressed notice is: "Ann Commander (a•••@acme.test)", or the address alone. */
function recipientName(recipient: { address: string | null; person: string | null }): string {
  const address = recipient.address ?? "(erased)";
  return recipient.person ? `${recipient.person} (${address})` : address;
}
