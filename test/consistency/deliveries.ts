import { Webhook } from "standardwebhooks";
import { eventContract } from "../../core/notifications/events.ts";
import type { Finding } from "./actions.ts";
import { type ConsistencyHerald, TEAM_EMAIL } from "./herald.ts";
import type { ExpectedEvent, Model, ModelSubscriber } from "./model.ts";

type Received = { eventId: string; subscriberId: string; via: string };
type EventRow = { kind: string; incidentId: string };

/**
 * Reads what reached the SMTP server and the webhook receiver since the last step, and checks each
 * subscriber got exactly the public events of its scope from this step, once; nothing team-only; every
 * webhook signed with its secret; the team address exactly the team's reminders; each person of the team
 * exactly their escalation notices; and each invited address exactly its invitation.
 */
export function deliveryChecker(h: ConsistencyHerald) {
  let mailsSeen = 0;
  let hooksSeen = 0;
  let eventsChecked = 0;
  let personMailsChecked = 0;
  const seen = new Set<string>();

  return async function check(model: Model): Promise<Finding[]> {
    const findings: Finding[] = [];
    const all: Received[] = [];
    const mails = h.sink.accepted();
    for (const mail of mails.slice(mailsSeen)) {
      const match = /^<(.+)\.([a-z0-9]+)@[^>]+>$/.exec(mail.messageId);
      if (!match?.[1] || !match[2]) {
        findings.push({
          check: "mail",
          detail: `a mail to ${mail.to} has a Message-ID Herald does not make: ${mail.messageId}`,
        });
        continue;
      }
      all.push({ eventId: match[1], subscriberId: match[2], via: `mail to ${mail.to}` });
    }
    mailsSeen = mails.length;
    for (const hook of h.receiver.received.slice(hooksSeen)) {
      const id = String(hook.headers["webhook-id"] ?? "");
      const match = /^msg_(.+)_([a-z0-9]+)$/.exec(id);
      if (!match?.[1] || !match[2]) {
        findings.push({ check: "webhook", detail: `a webhook to ${hook.path} has no Herald webhook-id: ${id}` });
        continue;
      }
      const subscriber = model.subscribers.find((s) => s.id === match[2]);
      if (subscriber?.secret) {
        const timestamp = Number(hook.headers["webhook-timestamp"]);
        const expected = new Webhook(subscriber.secret).sign(id, new Date(timestamp * 1000), hook.body);
        const given = String(hook.headers["webhook-signature"] ?? "").split(" ");
        if (!given.includes(expected))
          findings.push({
            check: "webhook-signature",
            detail: `${subscriber.label}: the signature of ${id} does not verify`,
          });
      }
      all.push({ eventId: match[1], subscriberId: match[2], via: `webhook to ${hook.path}` });
    }
    hooksSeen = h.receiver.received.length;

    const events = await eventRows(
      h,
      all.map((r) => r.eventId),
    );
    // A person's link (an invitation) is a personal event of its own kind: checked against the people actions.
    const isPersonMail = (r: Received) => events.get(r.eventId)?.kind.startsWith("person.") === true;
    const personMails = all
      .filter(isPersonMail)
      .map((r) => ({ to: r.via.replace(/^mail to /, ""), purpose: events.get(r.eventId)?.kind ?? "" }));
    const received = all.filter((r) => !isPersonMail(r));
    const newExpected = model.events.slice(eventsChecked);
    eventsChecked = model.events.length;

    for (const r of received) {
      const key = `${r.eventId}/${r.subscriberId}`;
      if (seen.has(key)) findings.push({ check: "once", detail: `${r.via}: event ${r.eventId} arrived twice` });
      seen.add(key);
      const event = events.get(r.eventId);
      if (!event) findings.push({ check: "deliveries", detail: `${r.via}: event ${r.eventId} is not in the database` });
    }

    const byId = new Map(model.subscribers.map((s) => [s.id, s]));
    const teamMails = received.filter((r) => !byId.has(r.subscriberId));
    const people = [...new Set([...(model.team ? [model.team.leadEmail] : [])])];
    for (const r of teamMails) {
      if (!r.via.includes(TEAM_EMAIL) && !people.some((p) => r.via.endsWith(` ${p}`)))
        findings.push({ check: "deliveries", detail: `${r.via}: a message to no subscriber the test made` });
    }
    for (const person of people)
      findings.push(
        ...compare(
          person,
          newExpected.filter((e) => e.to === person),
          teamMails.filter((r) => r.via.endsWith(` ${person}`)),
          events,
        ),
      );
    const wantPersonMails = model.personMails
      .slice(personMailsChecked)
      .map((m) => `${m.purpose} to ${m.to}`)
      .sort();
    personMailsChecked = model.personMails.length;
    const gotPersonMails = personMails.map((m) => `${m.purpose} to ${m.to}`).sort();
    if (JSON.stringify(wantPersonMails) !== JSON.stringify(gotPersonMails))
      findings.push({
        check: "person-mail",
        detail: `people were mailed ${JSON.stringify(gotPersonMails)}, the model expects ${JSON.stringify(wantPersonMails)}`,
      });
    findings.push(
      ...compare(
        "team address",
        newExpected.filter((e) => e.team && e.to === null),
        teamMails.filter((r) => r.via.includes(TEAM_EMAIL)),
        events,
      ),
    );

    for (const subscriber of model.subscribers) {
      const mine = received.filter((r) => r.subscriberId === subscriber.id);
      const teamOnly = mine.filter((r) => eventContract(events.get(r.eventId)?.kind ?? "")?.audience === "team");
      for (const r of teamOnly)
        findings.push({
          check: "team-only",
          detail: `${subscriber.label} received ${events.get(r.eventId)?.kind} (${r.eventId})`,
        });
      const expected = newExpected.filter((e) => isFor(model, subscriber, e));
      findings.push(
        ...compare(
          subscriber.label,
          expected,
          mine.filter((r) => !teamOnly.includes(r)),
          events,
        ),
      );
    }
    return findings;
  };
}

function isFor(model: Model, subscriber: ModelSubscriber, event: ExpectedEvent): boolean {
  return model.expectedFor(subscriber).includes(event);
}

/** The events of this step a recipient should have got against those it got, as sorted lists of kind and incident. */
function compare(who: string, expected: ExpectedEvent[], got: Received[], events: Map<string, EventRow>): Finding[] {
  const want = expected.map((e) => `${e.kind} ${e.incidentId}`).sort();
  const have = got.map((r) => {
    const event = events.get(r.eventId);
    return event ? `${event.kind} ${event.incidentId}` : `? ${r.eventId}`;
  });
  const arrived = [...have];
  have.sort();
  if (JSON.stringify(want) === JSON.stringify(have)) return inOrder(who, expected, arrived);
  const missing = want.filter((w) => !have.includes(w));
  const extra = have.filter((x) => !want.includes(x));
  const findings: Finding[] = [];
  for (const m of missing) findings.push({ check: "deliveries", detail: `${who} should have got ${m} and did not` });
  for (const x of extra)
    findings.push({ check: "deliveries", detail: `${who} got ${x}, which the model does not expect` });
  if (missing.length === 0 && extra.length === 0)
    findings.push({
      check: "deliveries",
      detail: `${who} got ${JSON.stringify(have)}, expected ${JSON.stringify(want)}`,
    });
  return findings;
}

/** Several events about one incident in one step (a tick starting and completing a maintenance) arrive in the order they happened. */
function inOrder(who: string, expected: ExpectedEvent[], arrived: string[]): Finding[] {
  const incidents = new Set(expected.map((e) => e.incidentId));
  const findings: Finding[] = [];
  for (const id of incidents) {
    const want = expected.filter((e) => e.incidentId === id).map((e) => e.kind);
    const got = arrived.filter((a) => a.endsWith(` ${id}`)).map((a) => a.split(" ")[0]);
    if (want.length > 1 && JSON.stringify(want) !== JSON.stringify(got))
      findings.push({
        check: "order",
        detail: `${who} got ${got.join(", ")} about ${id}; they happened as ${want.join(", ")}`,
      });
  }
  return findings;
}

async function eventRows(h: ConsistencyHerald, ids: string[]): Promise<Map<string, EventRow>> {
  const map = new Map<string, EventRow>();
  if (ids.length === 0) return map;
  const rows = await h.herald.db.$client.execute({
    sql: "SELECT id, kind, incident_id FROM notification_events WHERE id IN (SELECT value FROM json_each(?))",
    args: [JSON.stringify([...new Set(ids)])],
  });
  for (const row of rows.rows) map.set(String(row.id), { kind: String(row.kind), incidentId: String(row.incident_id) });
  return map;
}
