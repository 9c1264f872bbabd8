import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../core/markdown.ts";

describe("update text", () => {
  it("renders Markdown formatting, lists and links", () => {
    const html = renderMarkdown(
      "We **rolled back**.\n\n- step one\n- step two\n\nSee [the docs](https://docs.example.com).",
    );
    expect(html).toContain("<strong>rolled back</strong>");
    expect(html).toContain("<li>step one</li>");
    expect(html).toContain('<a href="https://docs.example.com" rel="nofollow noopener noreferrer">the docs</a>');
  });

  it("shows raw HTML as text instead of running it", () => {
    const html = renderMarkdown('<script>steal()</script><iframe src="https://evil.example"></iframe>');
    expect(html).not.toMatch(/<script|<iframe/);
    expect(html).toContain("&lt;script&gt;steal()&lt;/script&gt;");
  });

  it("keeps only http, https and mailto links", () => {
    for (const href of ["javascript:alert(1)", "data:text/html,hi", "vbscript:x", "//evil.example/x"]) {
      expect(renderMarkdown(`[x](${href})`)).not.toContain("href=");
    }
    expect(renderMarkdown("[mail](mailto:ops@example.com)")).toContain('href="mailto:ops@example.com"');
  });

  it("never produces event handler attributes or images", () => {
    const html = renderMarkdown('![x](https://img.example/a.png) <img src=x onerror=alert(1)> <b onclick="x()">b</b>');
    expect(html).not.toMatch(/<img|<[a-z][^>]*\son\w+=/i);
  });
});

describe("headings in update text", () => {
  it("nest under the update's heading and skip no level", () => {
    expect(renderMarkdown("## What happened\n\ntext\n\n### Timeline")).toBe(
      "<h4>What happened</h4>\n<p>text</p>\n<h5>Timeline</h5>",
    );
    expect(renderMarkdown("# Title\n\n###### Deep")).toContain("<h4>Title</h4>");
  });

  it("of a postmortem start at h3, under its section", () => {
    expect(renderMarkdown("## What happened", { topHeading: 3 })).toBe("<h3>What happened</h3>");
  });
});
