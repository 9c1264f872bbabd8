import type { Random } from "../helpers/prng.ts";
import type { ActionResult, Finding } from "./actions.ts";
import type { ConsistencyHerald } from "./herald.ts";
import { CLOSING, type Model, type ModelIncident } from "./model.ts";

/**
 * Issue 23 in the consistency check: a person on the team (invited by mail, joined through the invitation
 * link as a new person would), an escalation policy (the team address, then that person), and the team's
 * actions: hand an incident over, acknowledge a lapsed promise (which moves the public promise), invite.
 * What they tell is the team's or one person's, never a subscriber's and never the public's
 * (test/consistency/deliveries.ts, surfaces.ts check that).
 */

export const LEAD = { name: "Lea Lead", email: "lead@acme.test" };
const MINUTE = 60_000;

type Context = { h: ConsistencyHerald; model: Model; rnd: Random };

/** Invites the lead, joins through the mailed link, and sets the policy: the team address, then the lead. */
export async function setUpTeam(h: ConsistencyHerald, model: Model): Promise<void> {
  const invited = await h.api<{ id: string }>("POST", "/api/people/invitations", {
    email: LEAD.email,
    role: "commander",
  });
  if (invited.status !== 201) throw new Error(`invitation: ${invited.status} ${JSON.stringify(invited.body)}`);
  model.personMails.push({ step: 0, to: LEAD.email, purpose: "person.invitation" });
  await h.settled();
  const mail = (await h.sink.mails()).find((m) => (m.text ?? "").includes("/admin/invitation?token="));
  const link = /https?:\/\/\S+/.exec(mail?.text ?? "")?.[0];
  const token = link ? new URL(link).searchParams.get("token") : null;
  if (!token) throw new Error("the invitation mail carries no link");
  const joined = await fetch(`${h.url}/admin/invitation`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: h.url, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token, name: LEAD.name }),
  });
  if (joined.status !== 303) throw new Error(`joining answered ${joined.status}`);
  const team = await h.api<{ people: { id: string; email: string }[] }>("GET", "/api/people");
  const lead = team.body.people.find((p) => p.email === LEAD.email);
  if (!lead) throw new Error("the lead did not join");
  const levels = [
    { delayMinutes: 5, tells: "team" as const },
    { delayMinutes: 20, tells: "lead" as const },
  ];
  const policy = await h.api("PUT", "/api/escalation-policy", {
    levels: [
      { delay_minutes: 5, person_ids: [], team_channels: ["team_email"], daytime_only: false },
      { delay_minutes: 20, person_ids: [lead.id], team_channels: [], daytime_only: false },
    ],
  });
  if (policy.status !== 200) throw new Error(`policy: ${policy.status} ${JSON.stringify(policy.body)}`);
  model.team = { leadId: lead.id, leadEmail: LEAD.email, levels };
}

function accepted(answer: { status: number; body: unknown }, what: string): Finding[] {
  if (answer.status < 300) return [];
  return [{ check: "accepted", detail: `${what} was refused: ${answer.status} ${JSON.stringify(answer.body)}` }];
}

function openIncident(c: Context, test: (i: ModelIncident) => boolean = () => true): ModelIncident | null {
  const found = c.model.openIncidents().filter(test);
  return found.length === 0 ? null : c.rnd.pick(found);
}

/** Hands an open incident to the lead: audited, nothing public, and the lead is its escalation's first level. */
export async function handOver(c: Context): Promise<ActionResult | null> {
  const team = c.model.team;
  const incident = openIncident(c, (i) => i.commanderId !== team?.leadId);
  if (!team || !incident) return null;
  const answer = await c.h.api("POST", `/api/incidents/${incident.id}/commander`, { person_id: team.leadId });
  if (answer.status < 300) incident.commanderId = team.leadId;
  return { name: "hand-over", detail: `${incident.name} to ${LEAD.name}`, findings: accepted(answer, "hand over") };
}

/**
 * "Acknowledged, posting in N minutes": the promise moves publicly to now + N (the page shows it), no one is
 * told, and the lapsed promise's escalation stops; the new promise escalates afresh if it lapses.
 */
export async function acknowledge(c: Context): Promise<ActionResult | null> {
  const incident = openIncident(c, (i) => !CLOSING.has(i.status));
  if (!incident) return null;
  const minutes = c.rnd.pick([5, 10, 20, 45]);
  const answer = await c.h.api("POST", `/api/incidents/${incident.id}/acknowledge`, { minutes });
  if (answer.status < 300)
    incident.nextUpdateDueAt = new Date(c.h.clock.now().getTime() + minutes * MINUTE).toISOString();
  return {
    name: "acknowledge",
    detail: `${incident.name}, posting in ${minutes} min`,
    findings: accepted(answer, "acknowledge"),
  };
}

/** Invites someone new: one mail to that address, through the outbox; nobody else hears of it. */
export async function invite(c: Context): Promise<ActionResult | null> {
  const email = `invitee${c.model.personMails.length}@team.acme.test`;
  const answer = await c.h.api("POST", "/api/people/invitations", { email, role: c.rnd.pick(["viewer", "commander"]) });
  if (answer.status < 300) c.model.personMails.push({ step: c.model.step, to: email, purpose: "person.invitation" });
  return { name: "invite", detail: email, findings: accepted(answer, "invite") };
}
