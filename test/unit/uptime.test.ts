import { describe, expect, it } from "vitest";
import { computeUptime } from "../../core/uptime/uptime-days.ts";

const asOf = "2026-11-26T12:00:00.000Z";

describe("90-day uptime", () => {
  it("is 100 % for a component that was always operational, with no data before it existed", () => {
    const uptime = computeUptime({
      changes: [],
      currentStatus: "operational",
      since: "2026-11-20T00:00:00.000Z",
      asOf,
    });
    expect(uptime.days).toHaveLength(90);
    expect(uptime.days.at(-1)?.date).toBe("2026-11-26");
    expect(uptime.days.at(-8)?.uptime).toBeNull();
    expect(uptime.days.at(-7)?.uptime).toBe(1);
    expect(uptime.percent).toBe(1);
  });

  it("counts a major outage as down, a partial outage 30 %, degraded as up", () => {
    const uptime = computeUptime({
      changes: [
        { at: "2026-11-25T00:00:00.000Z", oldStatus: "operational", newStatus: "major_outage" },
        { at: "2026-11-25T06:00:00.000Z", oldStatus: "major_outage", newStatus: "partial_outage" },
        { at: "2026-11-25T12:00:00.000Z", oldStatus: "partial_outage", newStatus: "degraded_performance" },
        { at: "2026-11-25T18:00:00.000Z", oldStatus: "degraded_performance", newStatus: "operational" },
      ],
      currentStatus: "operational",
      since: "2026-01-01T00:00:00.000Z",
      asOf,
    });
    const day = uptime.days.find((d) => d.date === "2026-11-25");
    expect(day?.uptime).toBeCloseTo(1 - (6 + 0.3 * 6) / 24, 10);
    expect(day?.worst).toBe("major_outage");
    expect(day?.majorOutageMinutes).toBe(360);
  });

  it("leaves maintenance out of the measured time", () => {
    const uptime = computeUptime({
      changes: [
        { at: "2026-11-24T00:00:00.000Z", oldStatus: "operational", newStatus: "under_maintenance" },
        { at: "2026-11-24T12:00:00.000Z", oldStatus: "under_maintenance", newStatus: "major_outage" },
        { at: "2026-11-25T00:00:00.000Z", oldStatus: "major_outage", newStatus: "operational" },
      ],
      currentStatus: "operational",
      since: "2026-01-01T00:00:00.000Z",
      asOf,
    });
    expect(uptime.days.find((d) => d.date === "2026-11-24")?.uptime).toBe(0);
  });
});

describe("today's bar", () => {
  it("shows a status that began at this very moment", () => {
    const uptime = computeUptime({
      changes: [{ at: asOf, oldStatus: "operational", newStatus: "degraded_performance" }],
      currentStatus: "degraded_performance",
      since: "2026-01-01T00:00:00.000Z",
      asOf,
    });
    expect(uptime.days.at(-1)?.worst).toBe("degraded_performance");
    expect(uptime.days.at(-2)?.worst).toBe("operational");
  });
});
