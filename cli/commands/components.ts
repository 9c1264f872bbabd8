import { updateComponentRoute } from "../../api/routes/components.ts";
import { COMPONENT_STATUSES } from "../../core/model/statuses.ts";
import type { V2Component } from "../../core/public/statuspage.ts";
import { type Command, type CommandGroup, requiredPositional, table } from "../command.ts";
import { checkComponentStatus, loadComponents, resolveComponent } from "../component-names.ts";
import { deprecateCommand, sunsetCommand, undeprecateCommand } from "./component-sunset.ts";

function componentRows(components: V2Component[]): string {
  if (components.length === 0) return "No components yet.";
  return table(components.map((c) => [c.id, c.group ? "(group)" : c.status, `${c.group_id ? "  " : ""}${c.name}`]));
}

const listCommand: Command = {
  name: "list",
  usage: "component list",
  summary: "List components and groups in page order, with ids and statuses.",
  async run(ctx) {
    ctx.print(await loadComponents(ctx.api()), componentRows);
    return 0;
  },
};

const setUsage = "component set COMPONENT STATUS";

const setCommand: Command = {
  name: "set",
  usage: setUsage,
  summary: "Set a component's status (COMPONENT is its id or name; Group/Name when two share a name).",
  fieldOptions: { status: "STATUS" },
  notes: `Statuses: ${COMPONENT_STATUSES.join(", ")}.\nExample: herald component set "API" partial_outage`,
  async run(ctx, parsed) {
    const reference = requiredPositional(parsed, 0, "the component's id or name", setUsage);
    const status = checkComponentStatus(requiredPositional(parsed, 1, "the status", setUsage));
    const api = ctx.api();
    const component = resolveComponent(await loadComponents(api), reference);
    const updated = await api.run(updateComponentRoute, { id: component.id, status });
    ctx.print(updated, (c) => `${c.name} is now ${c.status}.`);
    return 0;
  },
};

export const componentGroup: CommandGroup = {
  name: "component",
  summary: "Components: list them, set a status, deprecate and sunset them.",
  commands: [setCommand, listCommand, deprecateCommand, undeprecateCommand, sunsetCommand],
};

/** `herald components`: the same list, as one word. */
export const componentsGroup: CommandGroup = {
  name: "components",
  summary: "List components and groups with ids and statuses.",
  commands: [{ ...listCommand, name: "", usage: "components" }],
};
