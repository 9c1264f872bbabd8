import {
  createChecklistItemRoute,
  deleteChecklistItemRoute,
  editInventoryRoute,
  inventoryCardRoute,
  inventoryRoute,
  listChecklistItemsRoute,
  moveStageRoute,
  tickItemRoute,
  untickItemRoute,
} from "../../api/routes/inventory.ts";
import type {
  ChecklistItemView,
  Inventory,
  InventoryCard,
  InventoryEntry,
} from "../../core/inventory/inventory-view.ts";
import type { Api } from "../api-client.ts";
import {
  type Command,
  type CommandGroup,
  type Parsed,
  requiredPositional,
  stringOption,
  table,
  UsageError,
} from "../command.ts";
import { loadComponents, resolveComponent } from "../component-names.ts";

const ownerText = (entry: InventoryEntry) =>
  entry.owner === null ? "-" : `${entry.owner.name}${entry.owner.kind === "team" ? " (team)" : ""}`;

function inventoryRows(inventory: Inventory): string {
  if (inventory.components.length === 0) return "No components yet.";
  const notReady = new Set([...inventory.not_ready.production, ...inventory.not_ready.development]);
  const rows = inventory.components.map((c) => [
    c.name,
    c.stage,
    ownerText(c),
    `${c.checklist.done}/${c.checklist.total}`,
    notReady.has(c.id) ? "not ready" : "",
  ]);
  return table([["COMPONENT", "STAGE", "OWNER", "CHECKLIST", ""], ...rows]);
}

function describeCard(card: InventoryCard): string {
  const optional = (value: string | null) => value ?? "-";
  const lines = [
    `${card.name}  (${card.stage}, ${card.id})`,
    table([
      ["  owner", ownerText(card)],
      ["  runbook", optional(card.runbook_url)],
      ["  repository", optional(card.repository_url)],
      ["  dashboard", optional(card.dashboard_url)],
      ["  uptime target", card.uptime_target === null ? "-" : `${card.uptime_target} %`],
    ]),
    "",
    `Production checklist (${card.checklist.done}/${card.checklist.total}):`,
    table(
      card.items.map((item) => [
        item.ticked ? "  [x]" : "  [ ]",
        item.label,
        item.ticked ? `${item.ticked.by}, ${item.ticked.at}` : "",
        item.id,
      ]),
    ),
  ];
  if (card.stage_changes.length > 0) {
    lines.push("", "Stage moves (newest first):");
    for (const change of card.stage_changes) {
      lines.push(
        `  ${change.at}  ${change.from} → ${change.to} by ${change.by}${change.reason ? `: ${change.reason}` : ""}`,
      );
    }
  }
  return lines.join("\n");
}

function checklistRows(items: ChecklistItemView[]): string {
  if (items.length === 0) return "The checklist is empty.";
  return table([["POSITION", "ID", "LABEL"], ...items.map((item) => [String(item.position), item.id, item.label])]);
}

async function componentId(api: Api, parsed: Parsed, usage: string): Promise<string> {
  const reference = requiredPositional(parsed, 0, "a component (name or id)", usage);
  return resolveComponent(await loadComponents(api), reference).id;
}

/** An item by id or by its label (any case). */
async function itemId(api: Api, reference: string): Promise<string> {
  const items = await api.run(listChecklistItemsRoute, {});
  const wanted = reference.trim().toLocaleLowerCase("en-US");
  const item =
    items.find((i) => i.id === reference) ?? items.find((i) => i.label.toLocaleLowerCase("en-US") === wanted);
  if (!item) {
    throw new UsageError(`No checklist item is "${reference}". Items: ${items.map((i) => i.id).join(", ")}.`);
  }
  return item.id;
}

/** An option given empty (`--runbook ""`) clears the link; left out, it stays. */
const linkOption = (parsed: Parsed, name: string) => {
  const value = stringOption(parsed.values, name);
  return value === undefined ? undefined : value.trim() === "" ? null : value;
};

const tickCommand = (name: "tick" | "untick"): Command => {
  const usage = `inventory ${name} COMPONENT ITEM`;
  return {
    name,
    usage,
    summary:
      name === "tick"
        ? "Tick a production checklist item for a component (who and when are kept)."
        : "Untick a production checklist item for a component.",
    notes: "ITEM is an item's id or label (see `herald checklist list`).",
    async run(ctx, parsed) {
      const api = ctx.api();
      const id = await componentId(api, parsed, usage);
      const item = await itemId(api, requiredPositional(parsed, 1, "a checklist item (id or label)", usage));
      const entry =
        name === "tick" ? await api.run(tickItemRoute, { id, item }) : await api.run(untickItemRoute, { id, item });
      ctx.print(entry, (e) => `${e.name}: checklist ${e.checklist.done}/${e.checklist.total}.`);
      return 0;
    },
  };
};

const inventoryCommands: Command[] = [
  {
    name: "list",
    usage: "inventory list",
    summary: "Every component with its stage, owner and checklist progress; what is not ready is marked.",
    async run(ctx) {
      ctx.print(await ctx.api().run(inventoryRoute, {}), inventoryRows);
      return 0;
    },
  },
  {
    name: "show",
    usage: "inventory show COMPONENT",
    summary: "A component's inventory card: owner, links, target, checklist ticks and stage moves.",
    async run(ctx, parsed) {
      const api = ctx.api();
      const id = await componentId(api, parsed, "inventory show COMPONENT");
      ctx.print(await api.run(inventoryCardRoute, { id }), describeCard);
      return 0;
    },
  },
  {
    name: "owner",
    usage: "inventory owner COMPONENT (--team NAME | --person ID | --none)",
    summary: "Set who owns a component: a team by name, a person on the team, or nobody.",
    options: {
      team: { type: "string", value: "NAME", description: "the owning team's name" },
      person: { type: "string", value: "ID", description: "the owning person's id (see the console's Team screen)" },
      none: { type: "boolean", description: "nobody owns it" },
    },
    fieldOptions: { owner_team: "--team", owner_person_id: "--person" },
    async run(ctx, parsed) {
      const usage = "inventory owner COMPONENT (--team NAME | --person ID | --none)";
      const team = stringOption(parsed.values, "team");
      const person = stringOption(parsed.values, "person");
      const given = [team !== undefined, person !== undefined, parsed.values.none === true].filter(Boolean).length;
      if (given !== 1) throw new UsageError(`Give exactly one of --team, --person and --none. Usage: herald ${usage}`);
      const api = ctx.api();
      const id = await componentId(api, parsed, usage);
      const entry = await api.run(editInventoryRoute, {
        id,
        owner_team: team ?? null,
        owner_person_id: person ?? null,
      });
      ctx.print(entry, (e) => `${e.name}: owner ${ownerText(e)}.`);
      return 0;
    },
  },
  {
    name: "links",
    usage: "inventory links COMPONENT [--runbook URL] [--repository URL] [--dashboard URL]",
    summary: "Set a component's runbook, repository and dashboard addresses (http or https).",
    options: {
      runbook: { type: "string", value: "URL", description: "the runbook's address; empty clears it" },
      repository: { type: "string", value: "URL", description: "the repository's address; empty clears it" },
      dashboard: { type: "string", value: "URL", description: "the dashboard's address; empty clears it" },
      target: { type: "string", value: "PERCENT", description: "the uptime target, e.g. 99.9; empty clears it" },
    },
    fieldOptions: {
      runbook_url: "--runbook",
      repository_url: "--repository",
      dashboard_url: "--dashboard",
      uptime_target: "--target",
    },
    async run(ctx, parsed) {
      const usage = "inventory links COMPONENT [--runbook URL] [--repository URL] [--dashboard URL] [--target PERCENT]";
      const fields = {
        runbook_url: linkOption(parsed, "runbook"),
        repository_url: linkOption(parsed, "repository"),
        dashboard_url: linkOption(parsed, "dashboard"),
        uptime_target: linkOption(parsed, "target"),
      };
      const given = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
      if (Object.keys(given).length === 0) throw new UsageError(`Give at least one link. Usage: herald ${usage}`);
      const api = ctx.api();
      const id = await componentId(api, parsed, usage);
      const entry = await api.run(editInventoryRoute, { id, ...given });
      ctx.print(entry, (e) =>
        [
          e.name,
          `  runbook ${e.runbook_url ?? "-"}`,
          `  repository ${e.repository_url ?? "-"}`,
          `  dashboard ${e.dashboard_url ?? "-"}`,
          `  uptime target ${e.uptime_target ?? "-"}`,
        ].join("\n"),
      );
      return 0;
    },
  },
  {
    name: "stage",
    usage: "inventory stage COMPONENT STAGE [--reason TEXT]",
    summary: "Move a component among prototype, development and production.",
    options: {
      reason: { type: "string", value: "TEXT", description: "why it goes to production with unticked checklist items" },
    },
    notes: "Production with unticked checklist items needs --reason; it is kept with the move and in the audit log.",
    async run(ctx, parsed) {
      const usage = "inventory stage COMPONENT STAGE [--reason TEXT]";
      const api = ctx.api();
      const stage = requiredPositional(parsed, 1, "a stage: prototype, development or production", usage);
      const id = await componentId(api, parsed, usage);
      const reason = stringOption(parsed.values, "reason");
      const entry = await api.run(moveStageRoute, { id, stage, ...(reason === undefined ? {} : { reason }) });
      ctx.print(entry, (e) => `${e.name} is in ${e.stage}.`);
      return 0;
    },
  },
  tickCommand("tick"),
  tickCommand("untick"),
];

const checklistCommands: Command[] = [
  {
    name: "list",
    usage: "checklist list",
    summary: "The page's production checklist, in order.",
    async run(ctx) {
      ctx.print(await ctx.api().run(listChecklistItemsRoute, {}), checklistRows);
      return 0;
    },
  },
  {
    name: "add",
    usage: "checklist add LABEL [--position N]",
    summary: "Add an item to the production checklist (admin).",
    options: { position: { type: "string", value: "N", description: "its place, 1 first (default: last)" } },
    async run(ctx, parsed) {
      const label = requiredPositional(parsed, 0, "the item's label", "checklist add LABEL [--position N]");
      const position = stringOption(parsed.values, "position");
      if (position !== undefined && !/^\d+$/.test(position)) throw new UsageError("--position takes a whole number.");
      const item = await ctx
        .api()
        .run(createChecklistItemRoute, { label, ...(position === undefined ? {} : { position: Number(position) }) });
      ctx.print(item, (i) => `Added "${i.label}" (${i.id}) at position ${i.position}.`);
      return 0;
    },
  },
  {
    name: "remove",
    usage: "checklist remove ITEM",
    summary: "Delete a checklist item and every component's tick of it (admin).",
    async run(ctx, parsed) {
      const api = ctx.api();
      const id = await itemId(
        api,
        requiredPositional(parsed, 0, "a checklist item (id or label)", "checklist remove ITEM"),
      );
      await api.run(deleteChecklistItemRoute, { id });
      ctx.print({ deleted: id }, () => `Deleted checklist item ${id}.`);
      return 0;
    },
  },
];

export const inventoryGroup: CommandGroup = {
  name: "inventory",
  summary: "The service inventory: owners, links, stages and checklist ticks.",
  commands: inventoryCommands,
};

export const checklistGroup: CommandGroup = {
  name: "checklist",
  summary: "The page's production checklist: list, add, remove.",
  commands: checklistCommands,
};
