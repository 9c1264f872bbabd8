import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { headerAddress, headerPhrase, headerText } from "../../core/notifications/email/header-text.ts";
import { EVENTS, TEMPLATED_KINDS } from "../../core/notifications/events.ts";
import { mailText } from "../../core/notifications/plain-text.ts";
import { renderMarkdown } from "../../core/text/markdown.ts";
import { bundleEmailTemplates } from "../../scripts/bundle-templates.mjs";

describe("mail templates", () => {
  it("are bundled as they are written (run `npm run templates` after editing one)", async () => {
    const bundled = await readFile(new URL("../../templates/email/templates.json", import.meta.url), "utf8");
    expect(bundled).toBe(await bundleEmailTemplates());
  });

  it("have an HTML part and a text part for every kind that may be mailed", async () => {
    const templates: Record<string, string> = JSON.parse(await bundleEmailTemplates());
    for (const kind of TEMPLATED_KINDS.filter((k) => EVENTS[k].channels.email)) {
      expect(templates[`${kind}.html`], kind).toBeTruthy();
      expect(templates[`${kind}.text`], kind).toBeTruthy();
    }
  });

  // Both are Markdown rendered by core/text/markdown.ts (sanitized): an update's body and a deprecation's message.
  it("insert HTML unescaped only where it is sanitized Markdown", async () => {
    const templates: Record<string, string> = JSON.parse(await bundleEmailTemplates());
    const raw = Object.entries(templates).flatMap(([name, text]) =>
      [...text.matchAll(/\{\{\{\s*([^}]+?)\s*\}\}\}|\{\{&\s*([^}]+?)\s*\}\}/g)].map((m) => `${name}: ${m[1] ?? m[2]}`),
    );
    expect(raw).toEqual(["component.html: component.messageHtml", "incident.html: body.html"]);
  });
});

describe("the text version of an update", () => {
  it("keeps paragraphs apart, lists as lines and links as text (url)", () => {
    const html = renderMarkdown(
      "First **paragraph** with a [link](https://example.com/a?b=1&c=2).\n\nSecond paragraph.\n\n- one\n- two\n\n1. first\n2. second\n\nSee https://example.com too.",
    );
    expect(mailText(html)).toBe(
      [
        "First paragraph with a link (https://example.com/a?b=1&c=2).",
        "",
        "Second paragraph.",
        "",
        "- one",
        "- two",
        "",
        " 1. first",
        " 2. second",
        "",
        "See https://example.com too.",
      ].join("\n"),
    );
  });

  it("shows escaped markup as the text it was", () => {
    expect(mailText(renderMarkdown('Use <b>bold</b> & "quotes"'))).toBe('Use <b>bold</b> & "quotes"');
  });
});

describe("header values", () => {
  it("can never start a new header", () => {
    expect(headerText("Down\r\nBcc: x@example.com\u0000\u202e")).toBe("Down Bcc: x@example.com");
    expect(headerAddress("ada@example.com\r\nBcc: x@example.com")).toBe("ada@example.com");
    expect(headerPhrase('Acme "Status"')).toBe('"Acme \\"Status\\""');
    expect(headerPhrase("Acme Status")).toBe("Acme Status");
  });
});
