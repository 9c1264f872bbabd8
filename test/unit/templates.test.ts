import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { HeraldError } from "../../core/actions/errors.ts";
import type { ComponentRow } from "../../core/model/rows.ts";
import { checkTemplate } from "../../core/templates/check-template.ts";
import { escapeMarkdown, fillIn } from "../../core/templates/render.ts";
import { resolveTemplateRequest, type TemplateTarget } from "../../core/templates/resolve.ts";
import type { Template } from "../../core/templates/schemas.ts";
import { stockTemplates } from "../../core/templates/stock.ts";
import { renderMarkdown } from "../../core/text/markdown.ts";
import { bundleStockTemplates, parseTemplateFile } from "../../scripts/bundle-templates.mjs";

const html = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Values a commander might type at 3 a.m., or an attacker might try. */
const HOSTILE = [
  "[x](http://evil) ![i](x) <b>",
  "**bold** _em_ ~~gone~~ `code`",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "http://evil.example/path",
  "HTTPS://EVIL.EXAMPLE",
  "www.evil.example",
  "ops@evil.example",
  "<http://evil.example>",
  "[ref]: http://evil.example",
  "# Heading",
  "> quoted",
  "- a list",
  "+ a list",
  "1. a list",
  "2) a list",
  "===",
  "---",
  "***",
  "```",
  "a | table | row",
  "&amp; &lt; &#65;",
  "back\\slash\\",
  "\\[escaped\\]",
  "    four spaces",
  "x <!-- comment --> y",
  "snake_case_name and 2*3*4",
];

describe("a variable's value", () => {
  for (const value of HOSTILE) {
    it(`shows literally: ${JSON.stringify(value)}`, () => {
      const shown = html(value.trimStart());
      expect(renderMarkdown(fillIn("{{v}}", { v: value }, "markdown"))).toBe(`<p>${shown}</p>`);
      expect(renderMarkdown(fillIn("Before {{v}} after", { v: value }, "markdown"))).toBe(
        `<p>Before ${shown} after</p>`,
      );
      expect(renderMarkdown(fillIn("- {{v}}", { v: value }, "markdown"))).toBe(`<ul>\n<li>${shown}</li>\n</ul>`);
      expect(renderMarkdown(fillIn("**{{v}}**", { v: value }, "markdown"))).toBe(`<p><strong>${shown}</strong></p>`);
    });
  }

  it("keeps ordinary text readable in the Markdown", () => {
    expect(escapeMarkdown("a failed database server in eu-west-1")).toBe("a failed database server in eu-west-1");
    expect(escapeMarkdown("10:30 UTC, version 2.4.1")).toBe("10:30 UTC, version 2.4.1");
  });

  it("goes into a title (plain text, not Markdown) as it is", () => {
    expect(fillIn("{{v}} down", { v: "**API** [x](y)" }, "plain")).toBe("**API** [x](y) down");
  });
});

const template = (overrides: Partial<Template> = {}): Template => ({
  id: "t",
  name: "T",
  kind: "incident",
  status: "identified",
  title: "{{summary}}",
  body: "Cause: {{cause}}. {{note}} Next update by {{next_update_at}} for {{components}} on {{page_name}}.",
  impact: null,
  component_status: "partial_outage",
  components: {},
  next_update_in_minutes: 30,
  variables: [
    { name: "summary", description: "", required: true },
    { name: "cause", description: "the cause", required: true },
    { name: "note", description: "", required: false, default: "We are on it." },
  ],
  ...overrides,
});

const component = (id: string, name: string) => ({ id, name }) as ComponentRow;
const target: TemplateTarget = {
  page: { name: "Acme Status", timeZone: "Europe/Berlin" },
  components: [component("api000000001", "API"), component("db0000000001", "Database")],
  incident: null,
  now: new Date("2026-11-26T10:00:00Z"),
};

function refusal(run: () => unknown): { message: string; paths: string[] } {
  try {
    run();
  } catch (error) {
    if (error instanceof HeraldError) return { message: error.message, paths: error.fieldErrors.map((e) => e.path) };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("resolving a template into a request", () => {
  it("fills in variables, defaults and built-ins, and gives listed components the template's status", () => {
    const request = resolveTemplateRequest(
      template(),
      {
        template: "t",
        variables: { summary: "Errors on the API", cause: "a full disk" },
        components: ["api000000001"],
      },
      target,
    );
    expect(request).toEqual({
      kind: "incident",
      name: "Errors on the API",
      status: "identified",
      body: "Cause: a full disk. We are on it. Next update by 11:30 GMT+1 for API on Acme Status.",
      components: { api000000001: "partial_outage" },
      next_update_in_minutes: 30,
    });
  });

  it("lets the request's own fields override the template's", () => {
    const request = resolveTemplateRequest(
      template(),
      {
        template: "t",
        variables: { summary: "x", cause: "y" },
        name: "Own name",
        status: "monitoring",
        components: { db0000000001: "major_outage" },
        impact: "critical",
        next_update_in_minutes: 60,
      },
      target,
    );
    expect(request).toMatchObject({
      name: "Own name",
      status: "monitoring",
      components: { db0000000001: "major_outage" },
      impact: "critical",
      next_update_in_minutes: 60,
    });
    expect(request.body).toContain("Next update by 12:00 GMT+1 for Database");
  });

  it("promises the next update from when the update shows: its display time, or a timed update's publish time", () => {
    const variables = { summary: "x", cause: "y" };
    const backdated = resolveTemplateRequest(
      template(),
      { template: "t", variables, display_at: "2026-11-26T09:40:00Z", components: ["api000000001"] },
      target,
    );
    expect(backdated.body).toContain("Next update by 11:10 GMT+1");
    const timed = resolveTemplateRequest(
      template(),
      { template: "t", variables, publish_at: "2026-11-26T12:00:00Z", components: ["api000000001"] },
      target,
    );
    expect(timed.body).toContain("Next update by 13:30 GMT+1");
  });

  it("refuses a missing required variable, naming it", () => {
    const { paths, message } = refusal(() =>
      resolveTemplateRequest(
        template(),
        { template: "t", variables: { summary: "x" }, components: ["api000000001"] },
        target,
      ),
    );
    expect(paths).toEqual(["variables.cause"]);
    expect(message).toContain("the cause");
  });

  it("refuses an unknown variable, naming it", () => {
    const { paths } = refusal(() =>
      resolveTemplateRequest(
        template(),
        { template: "t", variables: { summary: "x", cause: "y", cuase: "z" }, components: ["api000000001"] },
        target,
      ),
    );
    expect(paths).toEqual(["variables.cuase"]);
  });

  it("needs a variable used only in the title only to open an incident", () => {
    const incident = {
      kind: "incident",
      name: "Errors",
      componentIds: ["db0000000001"],
      scheduledFor: null,
      scheduledUntil: null,
    };
    const request = resolveTemplateRequest(
      template(),
      { template: "t", variables: { cause: "y" } },
      { ...target, incident: incident as unknown as TemplateTarget["incident"] },
    );
    expect(request).not.toHaveProperty("name");
    expect(request.body).toContain("for Database on Acme Status");
  });

  it("inserts the wording of the choice given, and refuses a value that is not a choice", () => {
    const withChoice = template({
      body: "Done. {{data_loss}}",
      variables: [
        { name: "summary", description: "", required: true },
        {
          name: "data_loss",
          description: "",
          required: true,
          choices: { no: "No data was lost.", yes: "Some data **was lost** on {{components}}." },
        },
      ],
    });
    const yes = resolveTemplateRequest(
      withChoice,
      { template: "t", variables: { summary: "x", data_loss: "yes" }, components: ["db0000000001"] },
      target,
    );
    expect(yes.body).toBe("Done. Some data **was lost** on Database.");
    const { paths } = refusal(() =>
      resolveTemplateRequest(
        withChoice,
        { template: "t", variables: { summary: "x", data_loss: "maybe" }, components: ["db0000000001"] },
        target,
      ),
    );
    expect(paths).toEqual(["variables.data_loss"]);
  });
});

describe("a template's text", () => {
  for (const [what, body] of [
    ["a section", "{{#x}}run{{/x}}"],
    ["an unescaped value", "{{{cause}}}"],
    ["an ampersand value", "{{& cause}}"],
    ["a partial", "{{> other}}"],
    ["a delimiter change", "{{=<% %>=}}"],
    ["an unclosed tag", "{{cause"],
  ]) {
    it(`refuses ${what}, naming body`, () => {
      expect(refusal(() => checkTemplate(template({ body: body ?? "" }))).paths).toContain("body");
    });
  }

  it("refuses a name that is neither declared nor built in", () => {
    expect(refusal(() => checkTemplate(template({ body: "{{cuase}}" }))).paths).toEqual(["body"]);
  });
});

describe("the stock templates", () => {
  it("are bundled as they are written (run `npm run templates` after editing one)", async () => {
    const bundled = await readFile(new URL("../../templates/stock-templates.json", import.meta.url), "utf8");
    expect(bundled).toBe(await bundleStockTemplates());
  });

  it("cover every incident stage, the common scenarios and every maintenance stage", () => {
    expect(
      stockTemplates()
        .map((t) => t.id)
        .sort(),
    ).toEqual(
      [
        "investigating",
        "identified",
        "monitoring",
        "resolved",
        "degraded-performance",
        "partial-outage",
        "major-outage",
        "third-party-outage",
        "security-incident",
        "maintenance-scheduled",
        "maintenance-started",
        "maintenance-extended",
        "maintenance-rescheduled",
        "maintenance-completed",
        "maintenance-cancelled",
      ].sort(),
    );
  });

  it("say when the next update comes, unless they close", () => {
    for (const stock of stockTemplates()) {
      if (["resolved", "completed", "scheduled"].includes(stock.status)) continue;
      if (stock.kind === "maintenance") {
        // A running maintenance's next update is its end, which the scheduler posts on time: no promise to lapse.
        expect(stock.body, stock.id).toContain("{{ends_at}}");
        expect(stock.next_update_in_minutes, stock.id).toBeNull();
        continue;
      }
      expect(stock.body, stock.id).toContain("{{next_update_at}}");
      expect(stock.next_update_in_minutes, stock.id).toBeGreaterThan(0);
    }
  });

  it("the resolved one asks whether data was lost and says so either way", () => {
    const resolved = stockTemplates().find((t) => t.id === "resolved");
    const dataLoss = resolved?.variables.find((v) => v.name === "data_loss");
    expect(dataLoss?.required).toBe(true);
    expect(dataLoss?.choices?.no).toMatch(/no customer data was lost/i);
    expect(dataLoss?.choices?.yes).toMatch(/data was lost/i);
  });

  it("are parsed with a YAML parser: quoting, comments and block scalars work, a duplicate key does not", () => {
    const parsed = parseTemplateFile(
      '---\nid: x # a comment\nname: "Colon: inside"\ntitle: >-\n  folded\n  title\n---\nBody\n',
      "x.md",
    );
    expect(parsed).toEqual({ id: "x", name: "Colon: inside", title: "folded title", body: "Body" });
    expect(() => parseTemplateFile("---\nid: a\nid: b\n---\nBody", "x.md")).toThrow(/x\.md/);
  });
});
