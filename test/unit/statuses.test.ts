import { describe, expect, it } from "vitest";
import { computeImpact, isActive, rollupStatus } from "../../core/model/statuses.ts";

describe("the page's overall status", () => {
  it("reads All Systems Operational only when every component is operational and nothing is open", () => {
    expect(rollupStatus(["operational", "operational"], [])).toEqual({
      indicator: "none",
      description: "All Systems Operational",
    });
  });

  it("takes the worst component status", () => {
    expect(rollupStatus(["operational", "degraded_performance"], [])).toEqual({
      indicator: "minor",
      description: "Partially Degraded Service",
    });
    expect(rollupStatus(["partial_outage", "degraded_performance"], [])).toEqual({
      indicator: "major",
      description: "Partial System Outage",
    });
    expect(rollupStatus(["major_outage", "partial_outage"], [])).toEqual({
      indicator: "critical",
      description: "Major System Outage",
    });
  });

  it("does not read operational while an incident is open, unlike Statuspage", () => {
    expect(rollupStatus(["operational"], ["minor"])).toEqual({
      indicator: "minor",
      description: "Minor Service Outage",
    });
    expect(rollupStatus(["degraded_performance"], ["critical"]).indicator).toBe("critical");
  });

  it("says maintenance only when maintenance is all there is", () => {
    expect(rollupStatus(["under_maintenance"], ["maintenance"])).toEqual({
      indicator: "maintenance",
      description: "Service Under Maintenance",
    });
    expect(rollupStatus(["under_maintenance", "degraded_performance"], []).indicator).toBe("minor");
  });
});

describe("an incident's impact", () => {
  it("follows the worst component status it set", () => {
    expect(computeImpact("incident", ["degraded_performance"], null)).toBe("minor");
    expect(computeImpact("incident", ["degraded_performance", "partial_outage"], null)).toBe("major");
    expect(computeImpact("incident", ["major_outage", "operational"], null)).toBe("critical");
  });

  it("is at least minor for an incident without component changes", () => {
    expect(computeImpact("incident", [], null)).toBe("minor");
  });

  it("is maintenance for a maintenance, and an override always wins", () => {
    expect(computeImpact("maintenance", ["under_maintenance"], null)).toBe("maintenance");
    expect(computeImpact("incident", ["major_outage"], "none")).toBe("none");
  });
});

describe("what weighs on the page", () => {
  it("counts open incidents and running maintenances, not scheduled or finished ones", () => {
    expect(isActive("incident", "identified")).toBe(true);
    expect(isActive("incident", "resolved")).toBe(false);
    expect(isActive("maintenance", "scheduled")).toBe(false);
    expect(isActive("maintenance", "in_progress")).toBe(true);
    expect(isActive("maintenance", "completed")).toBe(false);
  });
});
