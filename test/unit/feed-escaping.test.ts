import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import type { IncidentRecord, PageRow } from "../../core/model/rows.ts";
import { foldLine, icsText, maintenanceCalendar } from "../../core/public/calendar.ts";
import { atomFeed, rssFeed } from "../../core/public/feeds.ts";

/** Strings an attacker (or a careless paste) could put in a name or an update. */
const HOSTILE = [
  "NUL\u0000 SOH\u0001 VT\u000b ESC\u001b DEL\u007f C1\u0085\u009f",
  "non-characters \ufffe\uffff and a lone surrogate \ud800 and \udfff",
  '</title><script>alert("x")</script> & &amp; ]]> <![CDATA[ "quoted" \'single\'',
  "line\r\nbreaks\rof\nevery kind; commas, semicolons; back\\slashes",
  "emoji 😀🏳️‍🌈, RTL \u202eevil\u202c, zero-width \u200b\u200d, accents é e\u0301, CJK 漢字",
];
const hostile = HOSTILE.join(" | ");

const page: PageRow = {
  id: "page",
  name: `Acme ${hostile}`,
  url: "https://status.acme.test",
  timeZone: "Etc/UTC",
  logoUrl: null,
  faviconUrl: null,
  brandColor: null,
  supportUrl: null,
  teamEmail: null,
  defaultNextUpdateMinutes: null,
  senderName: null,
  senderAddress: null,
  apiUrl: null,
  ssoDomains: [],
  ssoDefaultRole: "viewer",
  reviewWeekday: null,
  reviewHour: null,
  publicReliability: false,
  sunsetReminderDays: 14,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-02T00:00:00.000Z",
};

function record(kind: "incident" | "maintenance"): IncidentRecord {
  const at = "2026-01-02T10:00:00.000Z";
  return {
    id: "inc1",
    kind,
    name: hostile,
    status: kind === "incident" ? "investigating" : "scheduled",
    impact: "minor",
    impactOverride: null,
    commanderId: null,
    createdAt: at,
    updatedAt: at,
    startedAt: at,
    monitoringAt: null,
    resolvedAt: null,
    scheduledFor: kind === "maintenance" ? "2026-01-03T10:00:00.000Z" : null,
    scheduledUntil: kind === "maintenance" ? "2026-01-03T12:00:00.000Z" : null,
    nextUpdateDueAt: null,
    postmortemMd: null,
    postmortemHtml: null,
    postmortemPublishedAt: null,
    remindMinutes: null,
    autoStart: true,
    autoComplete: true,
    cancelledAt: null,
    sequence: 0,
    updates: [
      {
        id: "upd1",
        incidentId: "inc1",
        status: kind === "incident" ? "investigating" : "scheduled",
        bodyMd: hostile,
        bodyHtml: `<p>${hostile}</p>`,
        displayAt: at,
        createdAt: at,
        updatedAt: at,
        deliverNotifications: true,
        createdBy: null,
        publishAt: null,
        nextUpdateInMinutes: null,
        scheduledComponents: null,
        publishedAt: at,
        componentChanges: [],
      },
    ],
    affectedComponents: [],
    componentIds: [],
  };
}

const scope = { title: `History of ${hostile}`, selfPath: "/history.rss", linkPath: "/history/" };
// XML 1.0 Char, less the discouraged C1 controls.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

describe("feeds carrying hostile text", () => {
  for (const [name, xml] of [
    ["RSS", rssFeed(page, scope, [record("incident")])],
    ["Atom", atomFeed(page, scope, [record("incident")])],
  ] as const) {
    it(`the ${name} feed stays well-formed XML with no forbidden character`, () => {
      expect(XMLValidator.validate(xml)).toBe(true);
      expect(xml).not.toMatch(NOT_XML_CHAR);
      expect(xml).not.toContain("<script>");
      expect(xml).not.toContain("]]>");
    });

    it(`the ${name} feed keeps every allowed character of the title`, () => {
      const parsed = new XMLParser({ ignoreAttributes: false, processEntities: true }).parse(xml);
      const title: unknown =
        name === "RSS" ? parsed.rss.channel.item.title : (parsed.feed.entry as { title: unknown }).title;
      expect(String(title)).toContain('</title><script>alert("x")</script> & &amp; ]]>');
      expect(String(title)).toContain("emoji 😀🏳️‍🌈");
      expect(String(title)).toContain("RTL \u202eevil\u202c");
      expect(String(title)).toContain("NUL SOH VT ESC DEL C1");
    });
  }
});

describe("the maintenance calendar carrying hostile text", () => {
  const ics = maintenanceCalendar(page, [record("maintenance")]);

  it("ends every line with CRLF and has no bare CR or LF", () => {
    expect(ics.endsWith("\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });

  it("folds lines at 75 octets without splitting a UTF-8 sequence", () => {
    const encoder = new TextEncoder();
    for (const line of ics.split("\r\n")) {
      expect(encoder.encode(line).length).toBeLessThanOrEqual(75);
      expect(line).not.toContain("\ufffd");
    }
    // Unfolding gives back the escaped text exactly.
    const unfolded = ics.replace(/\r\n /g, "");
    expect(unfolded).toContain(`SUMMARY:${icsText(hostile)}\r\n`);
  });

  it("escapes TEXT values and removes control characters", () => {
    expect(icsText("a\\b;c,d\r\ne\rf\ng")).toBe("a\\\\b\\;c\\,d\\ne\\nf\\ng");
    expect(icsText("tab\tkept, NUL\u0000 ESC\u001b DEL\u007f \ufffe gone")).toBe("tab\tkept\\, NUL ESC DEL  gone");
    const summary = ics.replace(/\r\n /g, "").match(/^SUMMARY:(.*)$/m)?.[1] ?? "";
    const controls = [...summary].filter((c) => {
      const code = c.codePointAt(0) ?? 0;
      return (code < 0x20 && c !== "\t") || (code >= 0x7f && code < 0xa0);
    });
    expect(controls).toEqual([]);
    expect(summary).not.toMatch(/(^|[^\\])[;,]/);
  });

  it("never folds inside a character, even four-byte ones", () => {
    const line = `SUMMARY:${"😀".repeat(40)}é${"漢".repeat(30)}`;
    const folded = foldLine(line);
    expect(folded.replace(/\r\n /g, "")).toBe(line);
    for (const part of folded.split("\r\n")) expect(new TextEncoder().encode(part).length).toBeLessThanOrEqual(75);
  });
});
