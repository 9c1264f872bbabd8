import { Webhook } from "standardwebhooks";
import type { Random } from "../helpers/prng.ts";
import { alertFires, alertResolves } from "./alerts.ts";
import { type Answer, type ConsistencyHerald, MAIL_WEBHOOK_SECRET } from "./herald.ts";
import { inventoryEdit, inventoryTick, stageMove } from "./inventory.ts";
import type { KnownBug } from "./known-bugs.ts";
import { CLOSING, type Model, type ModelIncident } from "./model.ts";

/** Something the check noticed: which check, what exactly, and the known bug it is, if it is one. */
export type Finding = { check: string; detail: string; bug?: KnownBug };

/** What one action did, for the log and the replay line. */
export type ActionResult = { name: string; detail: string; findings: Finding[]; refused?: boolean };

type Context = { h: ConsistencyHerald; model: Model; rnd: Random };
type Action = (c: Context) => Promise<ActionResult | null>;

const INCIDENT_STATUSES = ["investigating", "identified", "monitoring"] as const;
const BAD_STATUSES = ["degraded_performance", "partial_outage", "major_outage"] as const;
const PROMISES = [null, null, 15, 30, 45, 60, 120] as const;
const MINUTE = 60_000;

const now = (c: Context) => c.h.clock.now().toISOString();
const later = (c: Context, minutes: number) => new Date(c.h.clock.now().getTime() + minutes * MINUTE).toISOString();

function someComponents(c: Context, statuses: readonly string[], max = 2): Record<string, string> {
  const chosen: Record<string, string> = {};
  const count = c.rnd.int(0, max);
  for (let i = 0; i < count; i++) chosen[c.rnd.pick(c.model.leaves()).id] = c.rnd.pick(statuses);
  return chosen;
}

function body(marker: string): string {
  return `We are looking into it. Reference ${marker}.`;
}

function ok(answer: Answer, what: string): Finding[] {
  if (answer.status < 300) return [];
  return [{ check: "accepted", detail: `${what} was refused: ${answer.status} ${JSON.stringify(answer.body)}` }];
}

function pickWhere(c: Context, test: (i: ModelIncident) => boolean): ModelIncident | null {
  const found = [...c.model.incidents.values()].filter(test);
  return found.length === 0 ? null : c.rnd.pick(found);
}

const openIncident: Action = async (c) => {
  const marker = c.model.marker();
  const name = `Incident ${marker}`;
  const status = c.rnd.pick(INCIDENT_STATUSES);
  const components = someComponents(c, BAD_STATUSES);
  const promise = c.rnd.pick(PROMISES);
  const deliver = c.rnd.chance(0.9);
  const answer = await c.h.api<{ id: string }>("POST", "/api/incidents", {
    name,
    status,
    body: body(marker),
    components,
    next_update_in_minutes: promise,
    deliver_notifications: deliver,
  });
  if (answer.status < 300) {
    const incident = c.model.newIncident(answer.body.id, "incident", name);
    c.model.applyOpen(incident, { status, components, marker, nextUpdateInMinutes: promise, deliver, at: now(c) });
  }
  return {
    name: "open",
    detail: `${name} ${status} ${JSON.stringify(components)} promise ${promise}`,
    findings: ok(answer, "open"),
  };
};

const openFromTemplate: Action = async (c) => {
  const marker = c.model.marker();
  const component = c.rnd.pick(c.model.leaves());
  const promise = c.rnd.pick(PROMISES);
  const answer = await c.h.api<{ id: string; name: string }>("POST", "/api/incidents", {
    template: "partial-outage",
    variables: { who: "customers in Europe", symptoms: marker },
    components: [component.id],
    next_update_in_minutes: promise,
  });
  if (answer.status < 300) {
    const incident = c.model.newIncident(answer.body.id, "incident", answer.body.name);
    c.model.applyOpen(incident, {
      status: "investigating",
      components: { [component.id]: "partial_outage" },
      marker,
      nextUpdateInMinutes: promise,
      deliver: true,
      at: now(c),
    });
  }
  return {
    name: "open-from-template",
    detail: `partial-outage on ${component.name}`,
    findings: ok(answer, "open from a template"),
  };
};

const postUpdate: Action = async (c) => {
  const incident = pickWhere(c, (i) => i.kind === "incident" && !CLOSING.has(i.status));
  if (!incident) return null;
  const marker = c.model.marker();
  const status = c.rnd.pick(INCIDENT_STATUSES);
  const components = someComponents(c, [...BAD_STATUSES, "operational"]);
  const promise = c.rnd.pick(PROMISES);
  const deliver = c.rnd.chance(0.9);
  const answer = await c.h.api("POST", `/api/incidents/${incident.id}/updates`, {
    status,
    body: body(marker),
    components,
    next_update_in_minutes: promise,
    deliver_notifications: deliver,
  });
  if (answer.status < 300)
    c.model.applyUpdate(incident, { status, components, marker, nextUpdateInMinutes: promise, deliver, at: now(c) });
  return { name: "update", detail: `${incident.name} → ${status} promise ${promise}`, findings: ok(answer, "update") };
};

const resolve: Action = async (c) => {
  const incident = pickWhere(c, (i) => i.kind === "incident" && !CLOSING.has(i.status));
  if (!incident) return null;
  const marker = c.model.marker();
  const answer = await c.h.api("POST", `/api/incidents/${incident.id}/updates`, {
    status: "resolved",
    body: body(marker),
  });
  if (answer.status < 300)
    c.model.applyUpdate(incident, {
      status: "resolved",
      components: {},
      marker,
      nextUpdateInMinutes: null,
      deliver: true,
      at: now(c),
    });
  return { name: "resolve", detail: incident.name, findings: ok(answer, "resolve") };
};

/** An action that must be refused with a 409 and change nothing; if it is accepted, the model follows what Herald did. */
function refusedTwice(answer: Answer, what: string, follow: () => void): Finding[] {
  return refusedWith(answer, 409, what, follow);
}

function refusedWith(answer: Answer, status: number, what: string, follow: () => void): Finding[] {
  if (answer.status === status) return [];
  if (answer.status < 300) {
    follow();
    return [{ check: "refused", detail: `${what}: ${answer.status} instead of ${status}` }];
  }
  return [
    { check: "refused", detail: `${what}: ${answer.status} instead of ${status} ${JSON.stringify(answer.body)}` },
  ];
}

/** Closing what is already closed again: a 409 that changes nothing and tells no one. */
function closeAgain(
  name: string,
  what: string,
  status: "resolved" | "completed",
  closed: (i: ModelIncident) => boolean,
): Action {
  return async (c) => {
    const incident = pickWhere(c, closed);
    if (!incident) return null;
    const marker = c.model.marker();
    const answer = await c.h.api("POST", `/api/incidents/${incident.id}/updates`, { status, body: body(marker) });
    const findings = refusedTwice(answer, what, () =>
      c.model.applyUpdate(incident, {
        status,
        components: {},
        marker,
        nextUpdateInMinutes: null,
        deliver: true,
        at: now(c),
      }),
    );
    return { name, detail: incident.name, findings, refused: answer.status >= 400 };
  };
}

const resolveResolved = closeAgain(
  "resolve-resolved",
  "resolving a resolved incident",
  "resolved",
  (i) => i.kind === "incident" && i.status === "resolved" && !i.backfilled,
);

const reopen: Action = async (c) => {
  const incident = pickWhere(c, (i) => i.kind === "incident" && i.status === "resolved" && !i.backfilled);
  if (!incident) return null;
  const marker = c.model.marker();
  const answer = await c.h.api("POST", `/api/incidents/${incident.id}/reopen`, {
    status: "investigating",
    body: body(marker),
    next_update_in_minutes: null,
  });
  if (answer.status < 300) {
    incident.status = "investigating";
    incident.markers.push(marker);
    incident.nextUpdateDueAt = null;
    c.model.expect("incident.reopened", incident);
  }
  return { name: "reopen", detail: incident.name, findings: ok(answer, "reopen") };
};

const postmortem: Action = async (c) => {
  const incident = pickWhere(
    c,
    (i) => i.kind === "incident" && i.status === "resolved" && !i.postmortem && !i.backfilled,
  );
  if (!incident) return null;
  const marker = c.model.marker();
  const answer = await c.h.api("PUT", `/api/incidents/${incident.id}/postmortem`, {
    body: `## What happened\n\nA bad deploy. Reference ${marker}.`,
  });
  if (answer.status < 300) {
    incident.postmortem = true;
    incident.status = "postmortem";
    incident.markers.push(marker);
    c.model.expect("postmortem.published", incident);
  }
  return { name: "postmortem", detail: incident.name, findings: ok(answer, "postmortem") };
};

const backfill: Action = async (c) => {
  const marker = c.model.marker();
  const name = `Past incident ${marker}`;
  const startedAt = new Date(c.h.clock.now().getTime() - c.rnd.int(2, 20) * 24 * 60 * MINUTE);
  const resolvedAt = new Date(startedAt.getTime() + c.rnd.int(10, 180) * MINUTE);
  const component = c.rnd.pick(c.model.leaves());
  const answer = await c.h.api<{ id: string }>("POST", "/api/incidents/backfill", {
    name,
    started_at: startedAt.toISOString(),
    resolved_at: resolvedAt.toISOString(),
    components: { [component.id]: c.rnd.pick(BAD_STATUSES) },
    updates: [{ status: "investigating", body: body(marker), display_at: startedAt.toISOString() }],
  });
  if (answer.status < 300) {
    const incident = c.model.newIncident(answer.body.id, "incident", name);
    incident.status = "resolved";
    incident.backfilled = true;
    incident.touched.add(component.id);
    incident.markers.push(marker);
  }
  // A window that overlaps the component's recorded changes is refused by rule: then nothing may change.
  const overlaps = answer.status === 422 && JSON.stringify(answer.body).includes(`"components.${component.id}"`);
  if (overlaps)
    return {
      name: "backfill",
      detail: `${name} on ${component.name} (overlaps its history)`,
      findings: [],
      refused: true,
    };
  return { name: "backfill", detail: `${name} on ${component.name}`, findings: ok(answer, "backfill") };
};

const componentStatus: Action = async (c) => {
  const component = c.rnd.pick(c.model.leaves());
  const status = c.rnd.pick([...BAD_STATUSES, "operational", "operational"]);
  const answer = await c.h.api("PATCH", `/api/components/${component.id}`, { status });
  return { name: "component", detail: `${component.name} → ${status}`, findings: ok(answer, "component status") };
};

const timedUpdate: Action = async (c) => {
  const incident = pickWhere(c, (i) => i.kind === "incident" && !CLOSING.has(i.status));
  if (!incident) return null;
  const marker = c.model.marker();
  const status = c.rnd.pick([...INCIDENT_STATUSES, "resolved"]);
  const components = status === "resolved" ? {} : someComponents(c, BAD_STATUSES, 1);
  const promise = status === "resolved" ? null : c.rnd.pick(PROMISES);
  const publishAt = later(c, c.rnd.int(1, 12) * 5);
  const answer = await c.h.api("POST", `/api/incidents/${incident.id}/updates`, {
    status,
    body: body(marker),
    components,
    next_update_in_minutes: promise,
    publish_at: publishAt,
  });
  if (answer.status < 300)
    c.model.timed.push({
      incidentId: incident.id,
      publishAt,
      status,
      components,
      marker,
      nextUpdateInMinutes: promise,
      deliver: true,
    });
  return {
    name: "timed-update",
    detail: `${incident.name} → ${status} at ${publishAt}`,
    findings: ok(answer, "timed update"),
  };
};

const scheduledOpening: Action = async (c) => {
  const marker = c.model.marker();
  const name = `Incident ${marker}`;
  const status = c.rnd.pick(INCIDENT_STATUSES);
  const components = someComponents(c, BAD_STATUSES);
  const promise = c.rnd.pick(PROMISES);
  const publishAt = later(c, c.rnd.int(1, 12) * 5);
  const answer = await c.h.api("POST", "/api/incidents", {
    name,
    status,
    body: body(marker),
    components,
    next_update_in_minutes: promise,
    publish_at: publishAt,
  });
  if (answer.status < 300)
    c.model.openings.push({ name, publishAt, status, components, marker, nextUpdateInMinutes: promise });
  return { name: "scheduled-opening", detail: `${name} at ${publishAt}`, findings: ok(answer, "scheduled opening") };
};

const scheduleMaintenance: Action = async (c) => {
  const marker = c.model.marker();
  const name = `Maintenance ${marker}`;
  const start = later(c, c.rnd.int(1, 48) * 5);
  const end = new Date(Date.parse(start) + c.rnd.int(1, 12) * 10 * MINUTE).toISOString();
  const component = c.rnd.pick(c.model.leaves());
  const remind = c.rnd.pick([null, 30, 0] as const);
  const answer = await c.h.api<{ id: string }>("POST", "/api/incidents", {
    kind: "maintenance",
    name,
    status: "scheduled",
    body: body(marker),
    scheduled_for: start,
    scheduled_until: end,
    components: { [component.id]: "under_maintenance" },
    remind_minutes: remind,
  });
  if (answer.status < 300) {
    const m = c.model.newIncident(answer.body.id, "maintenance", name);
    m.scheduledFor = start;
    m.scheduledUntil = end;
    m.remindMinutes = remind ?? 60;
    c.model.applyOpen(m, {
      status: "scheduled",
      components: { [component.id]: "under_maintenance" },
      marker,
      nextUpdateInMinutes: null,
      deliver: true,
      at: now(c),
    });
  }
  return {
    name: "schedule-maintenance",
    detail: `${name} ${start} → ${end} on ${component.name}, remind ${remind}`,
    findings: ok(answer, "schedule maintenance"),
  };
};

const reschedule: Action = async (c) => {
  const m = pickWhere(c, (i) => i.kind === "maintenance" && i.status === "scheduled");
  if (!m) return null;
  const start = later(c, c.rnd.int(1, 48) * 5);
  const end = new Date(Date.parse(start) + c.rnd.int(1, 12) * 10 * MINUTE).toISOString();
  const answer = await c.h.api("POST", `/api/incidents/${m.id}/reschedule`, {
    scheduled_for: start,
    scheduled_until: end,
  });
  if (start === m.scheduledFor && end === m.scheduledUntil) {
    // Nothing to move: must be refused; if accepted, the model follows what Herald did.
    const findings = refusedWith(answer, 422, "rescheduling to the same window", () =>
      c.model.expect("maintenance.updated", m),
    );
    return { name: "reschedule", detail: `${m.name} to its own window`, findings, refused: answer.status >= 400 };
  }
  if (answer.status < 300) {
    m.scheduledFor = start;
    m.scheduledUntil = end;
    m.announcedAt = now(c);
    c.model.expect("maintenance.rescheduled", m);
  }
  return { name: "reschedule", detail: `${m.name} ${start} → ${end}`, findings: ok(answer, "reschedule") };
};

const extend: Action = async (c) => {
  const m = pickWhere(c, (i) => i.kind === "maintenance" && ["scheduled", "in_progress"].includes(i.status));
  if (!m?.scheduledUntil) return null;
  const end = new Date(Date.parse(m.scheduledUntil) + c.rnd.int(1, 6) * 15 * MINUTE).toISOString();
  const answer = await c.h.api("POST", `/api/incidents/${m.id}/extend`, { scheduled_until: end });
  if (answer.status < 300) {
    m.scheduledUntil = end;
    // Running late is an extension; a window not yet begun has moved.
    c.model.expect(m.status === "scheduled" ? "maintenance.rescheduled" : "maintenance.extended", m);
  }
  return { name: "extend", detail: `${m.name} until ${end}`, findings: ok(answer, "extend") };
};

const cancel: Action = async (c) => {
  const m = pickWhere(c, (i) => i.kind === "maintenance" && i.status === "scheduled");
  if (!m) return null;
  const answer = await c.h.api("POST", `/api/incidents/${m.id}/cancel`, {});
  if (answer.status < 300) {
    m.status = "completed";
    m.cancelled = true;
    c.model.expect("maintenance.cancelled", m);
  }
  return { name: "cancel", detail: m.name, findings: ok(answer, "cancel") };
};

const maintenanceUpdate: Action = async (c) => {
  const m = pickWhere(c, (i) => i.kind === "maintenance" && ["in_progress", "verifying"].includes(i.status));
  if (!m) return null;
  const marker = c.model.marker();
  const status = c.rnd.pick(["in_progress", "verifying", "completed"] as const);
  const answer = await c.h.api("POST", `/api/incidents/${m.id}/updates`, { status, body: body(marker) });
  if (answer.status < 300)
    c.model.applyUpdate(m, { status, components: {}, marker, nextUpdateInMinutes: null, deliver: true, at: now(c) });
  return { name: "maintenance-update", detail: `${m.name} → ${status}`, findings: ok(answer, "maintenance update") };
};

const cancelCancelled: Action = async (c) => {
  const m = pickWhere(c, (i) => i.kind === "maintenance" && i.cancelled);
  if (!m) return null;
  const answer = await c.h.api("POST", `/api/incidents/${m.id}/cancel`, {});
  const findings = refusedTwice(answer, "cancelling a cancelled maintenance", () =>
    c.model.expect("maintenance.updated", m),
  );
  return { name: "cancel-cancelled", detail: m.name, findings, refused: answer.status >= 400 };
};

const completeCompleted = closeAgain(
  "complete-completed",
  "completing a completed maintenance",
  "completed",
  (i) => i.kind === "maintenance" && i.status === "completed" && !i.cancelled,
);

const advance: Action = async (c) => {
  const minutes = c.rnd.pick([1, 5, 10, 15, 30, 45, 60, 90, 180]);
  // The scheduler's tick follows every step (run.ts), so this is only time passing.
  c.h.clock.advance(minutes * MINUTE);
  return { name: "advance", detail: `${minutes} min to ${now(c)}`, findings: [] };
};

const subscribe: Action = async (c) => {
  const tag = c.model.marker();
  const scoped = c.rnd.chance(0.5);
  const scope = scoped ? [c.rnd.pick(c.model.components).id] : null;
  if (c.rnd.chance(0.5)) {
    const address = `late-${tag}@readers.test`;
    const answer = await c.h.api<{ id: string }>("POST", "/api/subscribers", {
      address,
      ...(scope ? { components: scope } : {}),
    });
    if (answer.status < 300)
      c.model.subscribers.push({
        id: answer.body.id,
        label: address,
        channel: "email",
        address,
        scope,
        secret: null,
        fromStep: c.model.step,
        untilStep: null,
      });
    return {
      name: "subscribe",
      detail: `${address} ${scope ? `to ${scope}` : "to the page"}`,
      findings: ok(answer, "subscribe"),
    };
  }
  const url = c.h.receiver.url(`/late-${tag}`);
  const answer = await c.h.api<{ id: string; secret: string }>("POST", "/api/webhooks", {
    url,
    format: "json",
    owner_email: "ops@acme.test",
    ...(scope ? { components: scope } : {}),
  });
  if (answer.status < 300)
    c.model.subscribers.push({
      id: answer.body.id,
      label: url,
      channel: "webhook",
      address: url,
      scope,
      secret: answer.body.secret,
      fromStep: c.model.step,
      untilStep: null,
    });
  return {
    name: "subscribe",
    detail: `webhook ${url} ${scope ? `to ${scope}` : "to the page"}`,
    findings: ok(answer, "webhook"),
  };
};

const unsubscribe: Action = async (c) => {
  const link = await unsubscribeLink(c);
  if (!link) return null;
  const response = await fetch(link.url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "List-Unsubscribe=One-Click",
  });
  await response.text();
  if (response.status < 300) {
    link.subscriber.untilStep = c.model.step;
    return { name: "unsubscribe", detail: link.label, findings: [] };
  }
  return {
    name: "unsubscribe",
    detail: link.label,
    findings: [{ check: "unsubscribe", detail: `${link.label}'s unsubscribe link answered ${response.status}` }],
  };
};

/**
 * The mail provider reports a mail subscriber: a hard bounce or a complaint quarantines it (it hears
 * nothing after this step), a soft bounce changes nothing it hears, and a report signed with another
 * secret is refused with a 401 and changes nothing.
 */
const bounce: Action = async (c) => {
  const candidates = c.model.subscribers.filter((s) => s.untilStep === null && s.channel === "email");
  if (candidates.length === 0) return null;
  const subscriber = c.rnd.pick(candidates);
  const kind = c.rnd.pick(["hard", "complaint", "soft", "forged"] as const);
  const body = JSON.stringify({
    type: kind === "complaint" ? "email.complained" : "email.bounced",
    created_at: new Date().toISOString(),
    data: {
      email_id: c.model.marker(),
      to: [subscriber.address],
      bounce: { type: kind === "soft" ? "Transient" : "Permanent" },
    },
  });
  const secret =
    kind === "forged" ? `whsec_${Buffer.from("not-the-providers-secret").toString("base64")}` : MAIL_WEBHOOK_SECRET;
  const id = `msg_${c.model.marker()}`;
  const at = new Date();
  const response = await fetch(`${c.h.url}/api/mail-events/resend`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "svix-id": id,
      "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
      "svix-signature": new Webhook(secret).sign(id, at, body),
    },
    body,
  });
  await response.text();
  const expected = kind === "forged" ? 401 : 200;
  if (kind === "hard" || kind === "complaint") subscriber.untilStep = c.model.step;
  const findings: Finding[] =
    response.status === expected
      ? []
      : [
          {
            check: "bounce",
            detail: `a ${kind} report about ${subscriber.label} answered ${response.status}, not ${expected}`,
          },
        ];
  return { name: "bounce", detail: `${kind} report about ${subscriber.label}`, findings, refused: kind === "forged" };
};

/** The signed unsubscribe link of a still-subscribed subscriber, from the last message it received. */
async function unsubscribeLink(c: Context) {
  const candidates = c.model.subscribers.filter((s) => s.untilStep === null);
  if (candidates.length === 0) return null;
  const subscriber = c.rnd.pick(candidates);
  if (subscriber.channel === "email") {
    const mails = await c.h.sink.mails();
    const mine = mails.filter((m) => String(m.messageId ?? "").includes(`.${subscriber.id}@`));
    const last = mine.at(-1);
    const header = last?.headers.get("list-unsubscribe");
    const url = /<(http[^>]+)>/.exec(typeof header === "string" ? header : JSON.stringify(header ?? ""))?.[1];
    return url ? { subscriber, url, label: subscriber.label } : null;
  }
  const mine = c.h.receiver.received.filter((r) => String(r.headers["webhook-id"] ?? "").endsWith(`_${subscriber.id}`));
  const last = mine.at(-1);
  if (!last) return null;
  const payload = JSON.parse(last.body) as { meta?: { unsubscribe?: string } };
  const url = payload.meta?.unsubscribe;
  return url ? { subscriber, url, label: subscriber.label } : null;
}

/** Bad input of several kinds: each must be refused with a problem+json and change nothing (the run checks the database). */
const invalid: Action = async (c) => {
  const incident = pickWhere(c, (i) => i.kind === "incident" && !CLOSING.has(i.status));
  const cases: { what: string; method: string; path: string; json: unknown; bug?: KnownBug }[] = [
    {
      what: "open with an unknown component",
      method: "POST",
      path: "/api/incidents",
      json: { name: "Bad", components: { nosuchcompone: "major_outage" } },
    },
    { what: "open without a name", method: "POST", path: "/api/incidents", json: { name: "   ", body: "x" } },
    {
      what: "update of an unknown incident",
      method: "POST",
      path: "/api/incidents/zzzzzzzzzzzz/updates",
      json: { status: "identified" },
    },
    {
      what: "maintenance ending before it starts",
      method: "POST",
      path: "/api/incidents",
      json: { kind: "maintenance", name: "Backwards", scheduled_for: later(c, 60), scheduled_until: later(c, 30) },
    },
    {
      what: "a scenario template without components",
      method: "POST",
      path: "/api/incidents",
      json: { template: "partial-outage", variables: { who: "everyone", symptoms: "errors" } },
    },
  ];
  if (incident)
    cases.push({
      what: "an update shown in the future",
      method: "POST",
      path: `/api/incidents/${incident.id}/updates`,
      json: { status: "identified", body: "Soon.", display_at: later(c, 30) },
    });
  const chosen = c.rnd.pick(cases);
  const answer = await c.h.api(chosen.method, chosen.path, chosen.json);
  const findings: Finding[] = [];
  const created = answer.body as { id?: string; name?: string; status?: string; next_update_at?: string | null } | null;
  if (answer.status < 300 && chosen.path === "/api/incidents" && created?.id) {
    // Accepted by a known bug: the model follows what Herald did, so later steps check the rest.
    const incident = c.model.newIncident(created.id, "incident", created.name ?? "");
    incident.status = created.status ?? "investigating";
    incident.nextUpdateDueAt = created.next_update_at ?? null;
    c.model.expect("incident.opened", incident);
  }
  if (answer.status < 400 || answer.status >= 500) {
    findings.push({
      check: "refused",
      detail: `${chosen.what}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`,
      ...(chosen.bug ? { bug: chosen.bug } : {}),
    });
  }
  return { name: "invalid", detail: chosen.what, findings, refused: true };
};

/**
 * The API moves to another address (the split layout) or back to the page's origin: the subscribe form and the
 * links in later mail follow. `localhost` reaches the same server as the page's 127.0.0.1, so links still work.
 */
const apiAddress: Action = async (c) => {
  const next = c.model.apiUrl === null ? c.h.url.replace("127.0.0.1", "localhost") : null;
  const answer = await c.h.api("PATCH", "/api/page", { api_url: next });
  if (answer.status < 300) c.model.apiUrl = next;
  return {
    name: "api-address",
    detail: `api_url ${next ?? "null (the page's origin)"}`,
    findings: ok(answer, "api-address"),
  };
};

/** Each action with its weight: how often the generator picks it. */
export const ACTIONS: { name: string; weight: number; run: Action }[] = [
  { name: "open", weight: 8, run: openIncident },
  { name: "open-from-template", weight: 3, run: openFromTemplate },
  { name: "update", weight: 10, run: postUpdate },
  { name: "resolve", weight: 6, run: resolve },
  { name: "resolve-resolved", weight: 1, run: resolveResolved },
  { name: "reopen", weight: 2, run: reopen },
  { name: "postmortem", weight: 2, run: postmortem },
  { name: "backfill", weight: 2, run: backfill },
  { name: "component", weight: 3, run: componentStatus },
  { name: "timed-update", weight: 4, run: timedUpdate },
  { name: "scheduled-opening", weight: 2, run: scheduledOpening },
  { name: "schedule-maintenance", weight: 5, run: scheduleMaintenance },
  { name: "reschedule", weight: 2, run: reschedule },
  { name: "extend", weight: 2, run: extend },
  { name: "cancel", weight: 2, run: cancel },
  { name: "maintenance-update", weight: 2, run: maintenanceUpdate },
  { name: "cancel-cancelled", weight: 1, run: cancelCancelled },
  { name: "complete-completed", weight: 1, run: completeCompleted },
  { name: "advance", weight: 12, run: advance },
  { name: "subscribe", weight: 2, run: subscribe },
  { name: "unsubscribe", weight: 2, run: unsubscribe },
  { name: "bounce", weight: 1, run: bounce },
  { name: "invalid", weight: 4, run: invalid },
  { name: "api-address", weight: 2, run: apiAddress },
  { name: "alert-fires", weight: 3, run: alertFires },
  { name: "alert-resolves", weight: 2, run: alertResolves },
  { name: "inventory-edit", weight: 1, run: inventoryEdit },
  { name: "inventory-tick", weight: 1, run: inventoryTick },
  { name: "stage", weight: 1, run: stageMove },
];

function weighted(roll: number): (typeof ACTIONS)[number] {
  let left = roll;
  for (const action of ACTIONS) {
    left -= action.weight;
    if (left < 0) return action;
  }
  const last = ACTIONS.at(-1);
  if (!last) throw new Error("no actions");
  return last;
}

/** Picks and runs one applicable action, weighted. */
export async function runOneAction(h: ConsistencyHerald, model: Model, rnd: Random): Promise<ActionResult> {
  const total = ACTIONS.reduce((sum, a) => sum + a.weight, 0);
  for (;;) {
    const action = weighted(rnd.next() * total);
    const result = await action.run({ h, model, rnd });
    if (result) return result;
  }
}
