import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../core/text/markdown.ts";

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

describe("images in update text", () => {
  it("become a link to the image named by its alt text", () => {
    expect(renderMarkdown("Latency: ![p99 graph](https://grafana.example/p99.png)")).toBe(
      '<p>Latency: <a href="https://grafana.example/p99.png" rel="nofollow noopener noreferrer">p99 graph</a></p>',
    );
  });

  it("without alt text are named by their address", () => {
    expect(renderMarkdown('![](https://img.example/a.png "the graph")')).toBe(
      '<p><a href="https://img.example/a.png" title="the graph" rel="nofollow noopener noreferrer">https://img.example/a.png</a></p>',
    );
  });

  it("never show as tag text, and keep only their alt text when the address is not http or https", () => {
    for (const md of ["![x](javascript:alert(1))", "![x](data:image/png;base64,AAAA)", "![x](//evil.example/a.png)"]) {
      const html = renderMarkdown(md);
      expect(html).toBe("<p>x</p>");
    }
    expect(renderMarkdown("![](data:image/png;base64,AAAA)\n\nafter")).toBe("<p>after</p>");
  });

  it("inside a link become its text, so links never nest", () => {
    expect(renderMarkdown("[![build passing](https://ci.example/badge.svg)](https://ci.example/)")).toBe(
      '<p><a href="https://ci.example/" rel="nofollow noopener noreferrer">build passing</a></p>',
    );
  });

  it("escape their alt text and encode their address", () => {
    expect(renderMarkdown('![a <b> & "q"](<https://x.example/a b.png>)')).toBe(
      '<p><a href="https://x.example/a%20b.png" rel="nofollow noopener noreferrer">a &lt;b&gt; &amp; "q"</a></p>',
    );
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
