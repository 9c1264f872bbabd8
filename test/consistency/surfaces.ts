import type { ComponentStatus } from "../../core/model/statuses.ts";
import { componentLook } from "../../core/presentation/status.ts";
import type { Finding } from "./actions.ts";
import type { ConsistencyHerald } from "./herald.ts";
import { CLOSING, type Model } from "./model.ts";
import { LEAD } from "./team.ts";

type V2Incident = { id: string; name: string; status: string; incident_updates: { body: string }[] };
type V2Component = { id: string; status: string; group: boolean };
type V2Status = { indicator: string; description: string };

type DbIncident = {
  id: string;
  kind: string;
  name: string;
  status: string;
  scheduledFor: string | null;
  scheduledUntil: string | null;
  cancelled: boolean;
};

const OPEN_INCIDENT = new Set(["investigating", "identified", "monitoring"]);

/**
 * The public surfaces against each other, the database and the model: v2 JSON documents, the index,
 * every incident page and component page, both feeds and the maintenance calendar; no unpublished
 * text anywhere; one instant written one way across every page.
 */
export async function checkSurfaces(h: ConsistencyHerald, model: Model): Promise<Finding[]> {
  const findings: Finding[] = [];
  const add = (check: string, detail: string) => findings.push({ check, detail });
  const db = h.herald.db.$client;
  const [incidentRows, componentRows, unpublished, touching] = await db.batch(
    [
      "SELECT id, kind, name, status, scheduled_for, scheduled_until, cancelled_at FROM incidents",
      "SELECT id, status, is_group FROM components",
      "SELECT json_extract(input, '$.bodyMd') AS body_md FROM scheduled_actions WHERE action = 'update.publish'",
      "SELECT DISTINCT component_id, incident_id FROM update_components",
    ],
    "read",
  );
  const incidents: DbIncident[] = (incidentRows?.rows ?? []).map((r) => ({
    id: String(r.id),
    kind: String(r.kind),
    name: String(r.name),
    status: String(r.status),
    scheduledFor: r.scheduled_for === null ? null : String(r.scheduled_for),
    scheduledUntil: r.scheduled_until === null ? null : String(r.scheduled_until),
    cancelled: r.cancelled_at !== null,
  }));
  const componentStatus = new Map((componentRows?.rows ?? []).map((r) => [String(r.id), String(r.status)]));

  // The model and the database.
  for (const incident of model.incidents.values()) {
    const row = incidents.find((i) => i.id === incident.id);
    if (!row) add("model", `${incident.name} (${incident.id}) is not in the database`);
    else if (row.status !== incident.status)
      add("model", `${incident.name}: the database says ${row.status}, the model ${incident.status}`);
  }
  for (const row of incidents)
    if (!model.incidents.has(row.id)) add("model", `${row.name} (${row.id}) is in the database, not in the model`);

  // The v2 documents.
  const json = async <T>(name: string): Promise<T | null> => {
    const answer = await h.get(`/api/v2/${name}`);
    if (answer.status !== 200) {
      add("v2", `${name} answered ${answer.status}`);
      return null;
    }
    return JSON.parse(answer.text) as T;
  };
  const summary = await json<{
    status: V2Status;
    components: V2Component[];
    incidents: V2Incident[];
    scheduled_maintenances: V2Incident[];
  }>("summary.json");
  const status = await json<{ status: V2Status }>("status.json");
  const components = await json<{ components: V2Component[] }>("components.json");
  const unresolved = await json<{ incidents: V2Incident[] }>("incidents/unresolved.json");
  const recent = await json<{ incidents: V2Incident[] }>("incidents.json");
  const upcoming = await json<{ scheduled_maintenances: V2Incident[] }>("scheduled-maintenances/upcoming.json");
  const active = await json<{ scheduled_maintenances: V2Incident[] }>("scheduled-maintenances/active.json");
  const maintenances = await json<{ scheduled_maintenances: V2Incident[] }>("scheduled-maintenances.json");
  if (!summary || !status || !components || !unresolved || !recent || !upcoming || !active || !maintenances)
    return findings;

  if (JSON.stringify(summary.status) !== JSON.stringify(status.status))
    add("v2", `summary.json says ${JSON.stringify(summary.status)}, status.json ${JSON.stringify(status.status)}`);
  for (const c of components.components) {
    const stored = componentStatus.get(c.id);
    // A group's status is its members' rollup, not a stored value.
    if (!c.group && stored !== c.status) add("v2", `components.json: ${c.id} is ${c.status}, the database ${stored}`);
    const inSummary = summary.components.find((s) => s.id === c.id);
    if (inSummary?.status !== c.status)
      add("v2", `summary.json: ${c.id} is ${inSummary?.status}, components.json ${c.status}`);
  }
  const ids = (list: { id: string }[]) => list.map((i) => i.id).sort();
  const same = (a: string[], b: string[]) => JSON.stringify(a) === JSON.stringify(b);
  const openIds = incidents
    .filter((i) => i.kind === "incident" && OPEN_INCIDENT.has(i.status))
    .map((i) => i.id)
    .sort();
  const modelOpen = model
    .openIncidents()
    .map((i) => i.id)
    .sort();
  if (!same(ids(unresolved.incidents), openIds))
    add("v2", `unresolved.json lists ${ids(unresolved.incidents)}, the database's open incidents are ${openIds}`);
  if (!same(openIds, modelOpen)) add("model", `open incidents: database ${openIds}, model ${modelOpen}`);
  if (!same(ids(summary.incidents), openIds))
    add("v2", `summary.json's incidents ${ids(summary.incidents)} ≠ open ${openIds}`);
  const byStatus = (...statuses: string[]) =>
    incidents
      .filter((i) => i.kind === "maintenance" && statuses.includes(i.status))
      .map((i) => i.id)
      .sort();
  if (!same(ids(upcoming.scheduled_maintenances), byStatus("scheduled")))
    add("v2", `upcoming.json lists ${ids(upcoming.scheduled_maintenances)}, the database ${byStatus("scheduled")}`);
  if (!same(ids(active.scheduled_maintenances), byStatus("in_progress", "verifying")))
    add(
      "v2",
      `active.json lists ${ids(active.scheduled_maintenances)}, the database ${byStatus("in_progress", "verifying")}`,
    );
  if (!same(ids(summary.scheduled_maintenances), byStatus("scheduled", "in_progress", "verifying")))
    add(
      "v2",
      `summary.json's maintenances ${ids(summary.scheduled_maintenances)} ≠ ${byStatus("scheduled", "in_progress", "verifying")}`,
    );
  for (const listed of [...recent.incidents, ...maintenances.scheduled_maintenances]) {
    const row = incidents.find((i) => i.id === listed.id);
    if (!row) add("v2", `${listed.id} is listed in the v2 documents and not in the database`);
    else if (row.status !== listed.status)
      add("v2", `${row.name}: v2 says ${listed.status}, the database ${row.status}`);
  }

  // Nothing scheduled is public yet.
  const hidden = (unpublished?.rows ?? []).flatMap((r) => /mk\w+/.exec(String(r.body_md)) ?? []);
  hidden.push(...model.openings.map((o) => o.marker));

  // The index.
  const index = await h.get("/");
  const pages: { path: string; text: string }[] = [{ path: "/", text: index.text }];
  if (!index.text.includes(status.status.description))
    add("index", `the index does not say "${status.status.description}" (status.json)`);
  for (const component of model.components) {
    if (component.group) continue;
    const stored = componentStatus.get(component.id) as ComponentStatus | undefined;
    const at = index.text.indexOf(`href="/components/${component.id}/"`);
    const row = at < 0 ? "" : index.text.slice(at, index.text.indexOf("</li>", at));
    if (stored && row && !row.includes(componentLook(stored).label))
      add("index", `the index does not show ${component.name} as "${componentLook(stored).label}" (the database)`);
  }
  for (const id of openIds)
    if (!index.text.includes(`/incidents/${id}/`)) add("index", `the index does not link open incident ${id}`);
  for (const id of byStatus("scheduled", "in_progress", "verifying"))
    if (!index.text.includes(`/incidents/${id}/`)) add("index", `the index does not link maintenance ${id}`);

  // Every incident's page shows every published update.
  for (const incident of model.incidents.values()) {
    const page = await h.get(`/incidents/${incident.id}/`);
    if (page.status !== 200) {
      add("incident-page", `${incident.name}'s page answered ${page.status}`);
      continue;
    }
    pages.push({ path: `/incidents/${incident.id}/`, text: page.text });
    for (const marker of incident.markers)
      if (!page.text.includes(marker)) add("incident-page", `${incident.name}'s page does not show update ${marker}`);
    // The promise a reader sees is the model's (moved by an update or an acknowledgement), while the incident is open.
    const promised = /Next update by<\/dt>\s*<dd><time[^>]*datetime="([^"]+)"/.exec(page.text)?.[1] ?? null;
    const due = CLOSING.has(incident.status) ? null : incident.nextUpdateDueAt;
    if (promised !== due)
      add("promise", `${incident.name}'s page promises the next update by ${promised}, the model by ${due}`);
  }

  // Component pages list the incidents that touched them (the latest 25).
  const touched = new Map<string, Set<string>>();
  for (const r of touching?.rows ?? []) {
    const set = touched.get(String(r.component_id)) ?? new Set<string>();
    set.add(String(r.incident_id));
    touched.set(String(r.component_id), set);
  }
  for (const component of model.components) {
    const page = await h.get(`/components/${component.id}/`);
    if (page.status !== 200) {
      add("component-page", `${component.name}'s page answered ${page.status}`);
      continue;
    }
    pages.push({ path: `/components/${component.id}/`, text: page.text });
    const mine = [...(touched.get(component.id) ?? [])];
    if (mine.length <= 25)
      for (const id of mine)
        if (!page.text.includes(`/incidents/${id}/`))
          add(
            "component-page",
            `${component.name}'s page does not list ${incidents.find((i) => i.id === id)?.name} (${id})`,
          );
  }

  // Feeds and the calendar.
  const form = await h.get("/subscribe/");
  const action = `${model.apiUrl ?? ""}/subscribe`;
  if (!form.text.includes(`action="${action}"`))
    add("api-address", `the subscribe form does not post to ${action} (api_url ${model.apiUrl ?? "null"})`);
  const rss = await h.get("/history.rss");
  const atom = await h.get("/history.atom");
  const ics = await h.get("/maintenance.ics");
  const linked = (text: string) => new Set([...text.matchAll(/\/incidents\/([a-z0-9]{12})\//g)].map((m) => m[1]));
  const inRss = linked(rss.text);
  const inAtom = linked(atom.text);
  if (!same([...inRss].sort() as string[], [...inAtom].sort() as string[]))
    add("feeds", `the RSS feed links ${inRss.size} incidents, the Atom feed ${inAtom.size}`);
  for (const row of incidents) {
    if (row.kind === "maintenance" && row.scheduledFor && row.scheduledUntil) {
      const event = ics.text.split("BEGIN:VEVENT").find((e) => e.includes(`UID:${row.id}@`));
      if (!event) {
        add("calendar", `maintenance.ics has no event for ${row.name}`);
        continue;
      }
      const ical = (iso: string) => iso.replace(/[-:]/g, "").replace(/\.\d+/, "");
      if (!event.includes(`DTSTART:${ical(row.scheduledFor)}`) || !event.includes(`DTEND:${ical(row.scheduledUntil)}`))
        add("calendar", `maintenance.ics: ${row.name} is not at ${row.scheduledFor} → ${row.scheduledUntil}`);
      if (event.includes("STATUS:CANCELLED") !== row.cancelled)
        add("calendar", `maintenance.ics: ${row.name} cancelled=${row.cancelled} but the event says otherwise`);
    }
  }

  const publicTexts = [
    ...pages,
    { path: "/history.rss", text: rss.text },
    { path: "/history.atom", text: atom.text },
    { path: "/maintenance.ics", text: ics.text },
    { path: "/api/v2/summary.json", text: JSON.stringify(summary) },
    { path: "/api/v2/incidents.json", text: JSON.stringify(recent) },
  ];
  for (const marker of hidden)
    for (const { path, text } of publicTexts)
      if (text.includes(marker)) add("unpublished", `${path} shows ${marker}, which is not published yet`);
  // Who commands and who is escalated to is the team's business: no public surface names a person.
  for (const { path, text } of publicTexts)
    for (const word of [LEAD.name, LEAD.email])
      if (text.includes(word)) add("team-private", `${path} names ${word}, a person of the team`);

  findings.push(...oneWayPerInstant(pages));
  return findings;
}

/**
 * Every `<time datetime>` across the pages: one instant reads one way everywhere. A clock alone ("13:46 UTC",
 * beside a date it shares) is the same writing as its dated form ("Nov 26, 2026, 13:46 UTC"); another clock
 * format, another zone or another date is not.
 */
function oneWayPerInstant(pages: { path: string; text: string }[]): Finding[] {
  const shown = new Map<number, Map<string, string>>();
  for (const { path, text } of pages) {
    for (const m of text.matchAll(/<time\b[^>]*\bdatetime="([^"]+)"[^>]*>([\s\S]*?)<\/time>/g)) {
      const at = Date.parse(m[1] ?? "");
      const words = (m[2] ?? "")
        .replace(/<[^>]+>/g, "")
        .replace(/\s+/g, " ")
        .trim();
      if (Number.isNaN(at) || !/\d{1,2}:\d{2}/.test(words)) continue;
      const forms = shown.get(at) ?? new Map<string, string>();
      if (!forms.has(words)) forms.set(words, path);
      shown.set(at, forms);
    }
  }
  const findings: Finding[] = [];
  for (const [at, forms] of shown) {
    const words = [...forms.keys()];
    const dated = words.filter((w) => !CLOCK_ONLY.test(w));
    const agree = dated.length <= 1 && words.every((w) => (dated[0] ?? w).endsWith(w));
    if (agree) continue;
    const list = [...forms].map(([text, path]) => `"${text}" (${path})`).join(" vs ");
    findings.push({
      check: "one-instant-one-way",
      detail: `${new Date(at).toISOString()} is written ${forms.size} ways: ${list}`,
    });
  }
  return findings;
}

/** "13:46 UTC", "1:46 PM EST": a time of day and its zone, no date. */
const CLOCK_ONLY = /^\d{1,2}:\d{2}(?: ?[AP]M)? \S+$/;
