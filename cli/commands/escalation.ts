import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { acknowledgeRoute, getEscalationPolicyRoute, handOverRoute } from "../../api/routes/escalation.ts";
import { listPeopleRoute } from "../../api/routes/people.ts";
import type { EscalationPolicy } from "../../core/escalation/policy.ts";
import type { AdminIncident } from "../../core/incidents/admin-incident.ts";
import type { Api } from "../api-client.ts";
import { type Command, type CommandGroup, requiredOption, requiredPositional, UsageError } from "../command.ts";

type Person = { id: string; name: string; email: string };

async function team(api: Api): Promise<Person[]> {
  return (await api.run(listPeopleRoute, {})).people;
}

/** A person as typed: their email address (any case) or their id; an unknown one is a usage error naming it. */
function personOf(people: readonly Person[], typed: string, where: string): Person {
  const key = typed.trim().toLowerCase();
  const person = people.find((p) => p.id === key || p.email === key);
  if (!person)
    throw new UsageError(
      `${where}: nobody on the team is "${typed}" (see GET /api/people or the console's Team page).`,
    );
  return person;
}

const commanderUsage = "incident commander ID PERSON";
const acknowledgeUsage = "incident acknowledge ID --minutes N";

/** `herald incident commander` and `herald incident acknowledge` (docs/team.md). */
export const incidentCommandCommands: Command[] = [
  {
    name: "commander",
    usage: commanderUsage,
    summary: "Hand an open incident over to another Incident Commander (by email or person id).",
    notes: "Example: herald incident commander abc123def456 ann@acme.test",
    async run(ctx, parsed) {
      const id = requiredPositional(parsed, 0, "the incident's id (see `herald incident list`)", commanderUsage);
      const typed = requiredPositional(parsed, 1, "the new commander's email address or person id", commanderUsage);
      const api = ctx.api();
      const person = personOf(await team(api), typed, "PERSON");
      const incident = await api.run(handOverRoute, { id, person_id: person.id });
      ctx.print(
        incident,
        (i: AdminIncident) => `${i.id}  ${i.name}\nIncident Commander: ${person.name} <${person.email}>`,
      );
      return 0;
    },
  },
  {
    name: "acknowledge",
    usage: acknowledgeUsage,
    summary:
      'Acknowledge a late promise: "posting in N minutes" moves the page\'s next update time and stops the escalation.',
    options: { minutes: { type: "string", value: "N", description: "minutes until the next update (1–1440)" } },
    fieldOptions: { minutes: "--minutes" },
    notes: "Example: herald incident acknowledge abc123def456 --minutes 15",
    async run(ctx, parsed) {
      const id = requiredPositional(parsed, 0, "the incident's id (see `herald incident list`)", acknowledgeUsage);
      const typed = requiredOption(parsed.values, "minutes", acknowledgeUsage);
      if (!/^\d{1,4}$/.test(typed.trim()))
        throw new UsageError(`--minutes must be a whole number of minutes, not "${typed}".`);
      const incident = await ctx.api().run(acknowledgeRoute, { id, minutes: Number(typed.trim()) });
      ctx.print(incident, (i: AdminIncident) => `${i.id}  ${i.name}\nNext update by ${i.next_update_at ?? "(none)"}`);
      return 0;
    },
  },
];

function describePolicy(policy: EscalationPolicy, people: readonly Person[]): string {
  if (policy.levels.length === 0)
    return "No escalation policy: a late update reminds the team address and the team's chat.";
  const lines = ["When a promised update is late, the incident's commander is told first, then:"];
  for (const level of policy.levels) {
    const who = [
      ...level.person_ids.map((id) => {
        const p = people.find((person) => person.id === id);
        return p ? `${p.name} <${p.email}>` : id;
      }),
      ...level.team_channels.map((c) => (c === "team_email" ? "the team address" : "the team's chat")),
    ];
    const when = `${level.delay_minutes} min later${level.daytime_only ? ", daytime only" : ""}`;
    lines.push(`  level ${level.position}  ${when}: ${who.join(", ")}`);
  }
  return lines.join("\n");
}

/** The policy file (YAML or JSON, YAML being a superset): the API's body, people by email or id. */
async function readPolicyFile(file: string, people: readonly Person[]): Promise<{ levels: unknown[] }> {
  let parsed: unknown;
  try {
    parsed = parseYaml(await readFile(file, "utf8"));
  } catch (error) {
    throw new UsageError(`--file: cannot read YAML or JSON from ${file}: ${(error as Error).message}`);
  }
  const levels = (parsed as { levels?: unknown } | null)?.levels;
  if (!Array.isArray(levels)) throw new UsageError(`--file: ${file} must hold {"levels": [...]} (see --help).`);
  return {
    ...(parsed as object),
    levels: levels.map((level, i) => {
      if (typeof level !== "object" || level === null) return level;
      const ids = (level as { person_ids?: unknown }).person_ids;
      if (!Array.isArray(ids)) return level;
      return {
        ...level,
        person_ids: ids.map((p) =>
          typeof p === "string" && p.includes("@") ? personOf(people, p, `levels.${i}.person_ids`).id : p,
        ),
      };
    }),
  };
}

const setUsage = "escalation-policy set --file POLICY.yaml";

export const escalationPolicyGroup: CommandGroup = {
  name: "escalation-policy",
  summary: "The escalation policy: who is told, and when, after the commander when a promised update is late.",
  commands: [
    {
      name: "show",
      usage: "escalation-policy show",
      summary: "Show the escalation policy's levels.",
      async run(ctx) {
        const api = ctx.api();
        const [policy, people] = await Promise.all([api.run(getEscalationPolicyRoute, {}), team(api)]);
        ctx.print(policy, (p) => describePolicy(p, people));
        return 0;
      },
    },
    {
      name: "set",
      usage: setUsage,
      summary: "Replace the escalation policy from a YAML or JSON file (admin; an empty list removes it).",
      options: { file: { type: "string", value: "FILE", description: "the policy: {levels: [...]}, YAML or JSON" } },
      notes: [
        "Example file (YAML; people by email address or person id):",
        "  levels:",
        "    - {delay_minutes: 10, person_ids: [], team_channels: [team_webhooks], daytime_only: true}",
        "    - {delay_minutes: 20, person_ids: [boss@acme.test], team_channels: [team_email], daytime_only: false}",
      ].join("\n"),
      async run(ctx, parsed) {
        const file = requiredOption(parsed.values, "file", setUsage);
        const api = ctx.api();
        const people = await team(api);
        const body = await readPolicyFile(file, people);
        // The file is the body as typed: the API validates it and names each refused field.
        const policy = await api.call<EscalationPolicy>("PUT", "/api/escalation-policy", body);
        ctx.print(policy, (p) => `Saved.\n${describePolicy(p, people)}`);
        return 0;
      },
    },
  ],
};
