import { describe, expect, it } from "vitest";
import { CONSOLE_JS } from "../../api/console/assets/script.ts";
import { COMPONENT_STATUSES, IMPACTS, INCIDENT_STATUSES, MAINTENANCE_STATUSES } from "../../core/model/statuses.ts";
import {
  closingStatus,
  componentLook,
  impactLook,
  incidentTone,
  indicatorLook,
  updateStatusLook,
} from "../../core/presentation/status.ts";
import {
  formatClock,
  formatDuration,
  formatMinutes,
  formatTime,
  formatTimeBeside,
  formatWindow,
  markTimes,
  markTimesInText,
  TIME_FORMAT_OPTIONS,
} from "../../core/presentation/time.ts";

describe("how a status looks", () => {
  it("never says impact twice: an incident with no impact reads 'No impact'", () => {
    expect(IMPACTS.map((i) => impactLook(i).label)).toEqual([
      "No impact",
      "Maintenance",
      "Minor impact",
      "Major impact",
      "Critical impact",
    ]);
    for (const impact of IMPACTS) expect(impactLook(impact).label).not.toMatch(/impact impact/i);
  });

  it("gives every status words, a symbol and a colour, and each tone its own symbol", () => {
    const looks = [
      ...COMPONENT_STATUSES.map(componentLook),
      ...[...INCIDENT_STATUSES, ...MAINTENANCE_STATUSES].map(updateStatusLook),
      ...IMPACTS.map(impactLook),
      ...(["none", "minor", "major", "critical", "maintenance"] as const).map(indicatorLook),
    ];
    for (const look of looks) {
      expect(look.label).toMatch(/^[A-Z]/);
      expect(look.symbol).not.toBe("");
      expect(look.colour).toMatch(/^#[0-9a-f]{6}$/);
    }
    const symbolByTone = new Map(looks.map((l) => [l.tone, l.symbol]));
    expect(new Set(symbolByTone.values()).size).toBe(symbolByTone.size);
  });

  it("colours an open incident by its impact and a closed one as settled", () => {
    expect(incidentTone("investigating", "major")).toBe("major");
    expect(incidentTone("resolved", "critical")).toBe("ok");
    expect(incidentTone("scheduled", "maintenance")).toBe("info");
    expect(incidentTone("in_progress", "maintenance")).toBe("maint");
  });

  it("closes an incident as resolved and a maintenance as completed", () => {
    expect(closingStatus("incident")).toBe("resolved");
    expect(closingStatus("maintenance")).toBe("completed");
  });
});

describe("how a time is written", () => {
  const at = "2026-12-07T13:29:00.000Z";

  it("writes one format with a 24-hour clock and the zone named, whatever the zone", () => {
    expect(formatTime(at)).toBe("Dec 7, 2026, 13:29 UTC");
    expect(formatClock(at)).toBe("13:29 UTC");
    expect(formatTime(at, "America/New_York")).toBe("Dec 7, 2026, 08:29 EST");
    expect(formatClock(at, "Europe/Berlin")).toBe("14:29 GMT+1");
    expect(formatTime(at, "Not/AZone")).toBe("Dec 7, 2026, 13:29 UTC");
  });

  it("leaves the date out only beside a time on the same day in that zone", () => {
    expect(formatTimeBeside("2026-12-07T13:38:00Z", at)).toBe("13:38 UTC");
    expect(formatTimeBeside("2026-12-08T01:00:00Z", at)).toBe("Dec 8, 2026, 01:00 UTC");
    // 01:00 UTC on the 8th is still the 7th in New York.
    expect(formatTimeBeside("2026-12-08T01:00:00Z", at, "America/New_York")).toBe("20:00 EST");
  });

  it("writes a window and a duration", () => {
    expect(formatWindow("2026-11-27T02:00:00Z", "2026-11-27T04:00:00Z")).toBe(
      "Nov 27, 2026, 02:00 UTC – 04:00 UTC (2 h)",
    );
    expect(formatDuration("2026-11-27T02:00:00Z", "2026-11-27T02:00:20Z")).toBe("under a minute");
    expect(formatDuration("2026-11-27T02:00:00Z", "2026-11-30T06:00:00Z")).toBe("3 d 4 h");
  });

  it("writes a span of minutes one way on every surface: 2 h, never 2 h 0 min", () => {
    expect([0, 45, 60, 90, 120, 1440].map(formatMinutes)).toEqual([
      "under a minute",
      "45 min",
      "1 h",
      "1 h 30 min",
      "2 h",
      "1 d",
    ]);
  });

  it("counts down in the console's script as the server first wrote it", () => {
    const script = CONSOLE_JS.match(/const formatMinutes = \(([\s\S]*?)\);\n\s*const dues/)?.[1] ?? "";
    const embedded = new Function(`return (${script});`)() as (minutes: number) => string;
    for (const minutes of [0, 45, 120, 135, 1500]) expect(embedded(minutes)).toBe(formatMinutes(minutes));
  });

  it("shares its options with the page's script, so a localized time keeps the same shape", () => {
    const reader = new Intl.DateTimeFormat("en-US", { ...TIME_FORMAT_OPTIONS.dateTime, timeZone: "UTC" });
    expect(reader.format(new Date(at))).toBe(formatTime(at));
  });
});

describe("times a template wrote into an update's text", () => {
  const promise = "2026-12-07T13:38:00.000Z";

  it("become <time> elements the page's script localizes, in full or as a clock", () => {
    expect(markTimes("<p>Next update by 13:38 UTC.</p>", [promise])).toBe(
      `<p>Next update by <time datetime="${promise}" data-local="time">13:38 UTC</time>.</p>`,
    );
    expect(markTimes("<p>By Dec 7, 2026, 14:38 GMT+1</p>", [promise], "Europe/Berlin")).toBe(
      `<p>By <time datetime="${promise}" data-local="">Dec 7, 2026, 14:38 GMT+1</time></p>`,
    );
  });

  it("carry the time they were written beside, so the script can add the date where the reader's day differs", () => {
    expect(markTimes("<p>by 13:38 UTC</p>", [promise], "UTC", "2026-12-07T13:08:00.000Z")).toBe(
      `<p>by <time datetime="${promise}" data-local="time" data-beside="2026-12-07T13:08:00.000Z">13:38 UTC</time></p>`,
    );
  });

  it("leave other times, attributes and longer numbers as written", () => {
    const html = '<p><a href="https://x.test/13:38 UTC">log</a> at 113:38 UTC or 13:39 UTC</p>';
    expect(markTimes(html, [promise])).toBe(html);
    expect(markTimes("<p>13:38 UTC</p>", [])).toBe("<p>13:38 UTC</p>");
  });

  it("escape plain text before marking it", () => {
    expect(markTimesInText("<b> by 13:38 UTC", [promise])).toBe(
      `&lt;b&gt; by <time datetime="${promise}" data-local="time">13:38 UTC</time>`,
    );
  });
});
