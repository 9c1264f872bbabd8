import { getTemplateRoute, listTemplatesRoute, previewTemplateRoute } from "../../api/routes/templates.ts";
import type { TemplatePreview } from "../../core/templates/preview-template.ts";
import type { TemplateView } from "../../core/templates/template-view.ts";
import { type Command, type CommandGroup, listOption, requiredPositional, stringOption, table } from "../command.ts";
import { loadComponents, postComponents } from "../component-names.ts";
import { TEMPLATE_OPTIONS, templateFields } from "./incident.ts";

const requiredVariables = (template: TemplateView) =>
  template.variables.filter((v) => v.required && v.default === undefined).map((v) => v.name);

function templateRows(templates: TemplateView[]): string {
  if (templates.length === 0) return "None.";
  const rows = templates.map((t) => [t.id, t.kind, t.status, t.name, requiredVariables(t).join(", ") || "-"]);
  return table([["ID", "KIND", "STATUS", "NAME", "REQUIRED VARIABLES"], ...rows]);
}

function describeTemplate(template: TemplateView): string {
  const optional = (value: string | number | null, text = String(value)) => (value === null ? "-" : text);
  const lines = [
    `${template.name}  (${template.kind} template ${template.id}, ${template.source})`,
    table([
      ["  status", template.status],
      ["  title", template.title],
      ["  impact", optional(template.impact)],
      ["  component status", optional(template.component_status)],
      ["  next update in", optional(template.next_update_in_minutes, `${template.next_update_in_minutes} minutes`)],
    ]),
  ];
  if (template.variables.length > 0) {
    const rows = template.variables.map((v) => [
      `  ${v.name}`,
      v.required && v.default === undefined ? "required" : "optional",
      [
        v.choices ? `one of ${Object.keys(v.choices).join(", ")}` : "",
        v.default === undefined ? "" : `default "${v.default}"`,
        v.description,
      ]
        .filter(Boolean)
        .join("; "),
    ]);
    lines.push("", "Variables (--var KEY=VALUE):", table(rows));
  }
  lines.push("", "Body:", ...template.body.split("\n").map((line) => (line ? `  ${line}` : "")));
  return lines.join("\n");
}

function describePreview(preview: TemplatePreview, componentNames: Map<string, string>): string {
  const components = Object.entries(preview.components);
  const lines = [
    preview.title || "(the incident's own name)",
    table([
      ["  status", preview.status],
      ["  impact", preview.impact],
      ...(preview.next_update_in_minutes === null
        ? []
        : [["  next update in", `${preview.next_update_in_minutes} minutes`]]),
    ]),
  ];
  if (components.length > 0) {
    lines.push(
      "",
      "Components:",
      table(components.map(([id, status]) => [`  ${status}`, componentNames.get(id) ?? id])),
    );
  }
  lines.push("", ...preview.body_md.split("\n"));
  return lines.join("\n");
}

const previewUsage = "template preview ID [--var KEY=VALUE …] [--incident ID] [--component NAME=STATUS …]";

const commands: Command[] = [
  {
    name: "list",
    usage: "template list",
    summary: "List update templates: id, kind, status, name and the variables they require.",
    async run(ctx) {
      ctx.print(await ctx.api().run(listTemplatesRoute, {}), templateRows);
      return 0;
    },
  },
  {
    name: "show",
    usage: "template show ID",
    summary: "Show a template: its fields, variables and Markdown body.",
    async run(ctx, parsed) {
      const id = requiredPositional(parsed, 0, "the template's id (see `herald template list`)", "template show ID");
      ctx.print(await ctx.api().run(getTemplateRoute, { id }), describeTemplate);
      return 0;
    },
  },
  {
    name: "preview",
    usage: previewUsage,
    summary: "Show what a post from a template would say, writing nothing.",
    options: {
      var: TEMPLATE_OPTIONS.var ?? { type: "string", description: "" },
      incident: {
        type: "string",
        value: "ID",
        description: "preview an update of this incident (default: opening one)",
      },
      component: {
        type: "string",
        multiple: true,
        value: "NAME[=STATUS]",
        description: "a component the post would set (NAME alone takes the template's status)",
      },
    },
    fieldOptions: { variables: "--var", incident_id: "--incident", components: "--component" },
    notes:
      'Example: herald template preview resolved --var "what_happened=a bad deploy was rolled back" --var data_loss=no',
    async run(ctx, parsed) {
      const id = requiredPositional(parsed, 0, "the template's id (see `herald template list`)", previewUsage);
      const api = ctx.api();
      const { variables } = templateFields({ ...parsed.values, template: id });
      const [components, all] = await Promise.all([
        postComponents(api, listOption(parsed.values, "component"), true),
        ctx.json ? [] : loadComponents(api),
      ]);
      const preview = await api.run(previewTemplateRoute, {
        id,
        variables,
        components,
        incident_id: stringOption(parsed.values, "incident"),
      });
      const names = new Map(all.map((c) => [c.id, c.name]));
      ctx.print(preview, (p) => describePreview(p, names));
      return 0;
    },
  },
];

export const templateGroup: CommandGroup = {
  name: "template",
  summary: "Update templates: list, show, preview.",
  commands,
};
