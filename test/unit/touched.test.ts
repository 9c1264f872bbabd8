import { describe, expect, it } from "vitest";
import { membersOf, renderTopicsOf, unionOfTouched, withGroups } from "../../core/changes/touched.ts";

const rows = [
  { id: "group1", groupId: null },
  { id: "api", groupId: "group1" },
  { id: "web", groupId: "group1" },
  { id: "db", groupId: null },
];

describe("what changes touched, put together for the commit", () => {
  it("no report is a change that shows nowhere; an empty report is still public", () => {
    expect(unionOfTouched([undefined, undefined])).toBeNull();
    expect(unionOfTouched([{}])).toEqual({ incidents: [], components: [], months: [] });
    expect(renderTopicsOf({ incidents: [], components: [], months: [] })).toEqual({});
  });

  it("joins the reports without repeats, and a full render names nothing else", () => {
    const union = unionOfTouched([{ incidents: ["a"], months: ["2026-11"] }, undefined, { incidents: ["b", "a"] }]);
    expect(union && renderTopicsOf(union)).toEqual({ incidents: ["a", "b"], months: ["2026-11"] });
    const full = unionOfTouched([{ incidents: ["a"] }, { full: true }]);
    expect(full && renderTopicsOf(full)).toEqual({ full: true });
  });

  it("names the groups whose pages list a touched component, and a group's members", () => {
    expect(withGroups(rows, ["api", "db"]).toSorted()).toEqual(["api", "db", "group1"]);
    expect(membersOf(rows, "group1")).toEqual(["api", "web"]);
  });
});
