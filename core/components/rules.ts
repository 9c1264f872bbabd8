import { type HeraldError, invalid, notFound } from "../actions/errors.ts";
import type { ComponentRow } from "../model/rows.ts";
import { looksAlike, nameSkeletons } from "./name-skeleton.ts";

/** Groups are one level deep: a group has no parent, and a component's parent must be a group. */
export function assertValidGroup(
  all: ComponentRow[],
  { isGroup, groupId, selfId }: { isGroup: boolean; groupId: string | null; selfId: string | null },
): void {
  if (groupId === null) return;
  if (isGroup)
    throw invalid("A group cannot belong to another group.", [
      { path: "group_id", message: "groups are one level deep" },
    ]);
  if (groupId === selfId)
    throw invalid("A component cannot be its own group.", [
      { path: "group_id", message: "must name another component" },
    ]);
  const parent = all.find((c) => c.id === groupId);
  if (!parent)
    throw invalid(`There is no group with id "${groupId}".`, [{ path: "group_id", message: "no such group" }]);
  if (!parent.isGroup) {
    throw invalid(`Component "${groupId}" is not a group.`, [{ path: "group_id", message: "must name a group" }]);
  }
}

/**
 * Names are unique within a group, and among top-level components and groups: readers tell components
 * apart by name. Compared as they read (`nameSkeletons`): case, fullwidth letters, zero-width characters
 * and look-alike letters of other scripts ("АРІ" in Cyrillic) do not make a name different.
 */
export function assertUniqueName(
  all: ComponentRow[],
  { name, groupId, selfId }: { name: string; groupId: string | null; selfId: string | null },
): void {
  const keys = nameSkeletons(name);
  const existing = all.find((c) => c.groupId === groupId && c.id !== selfId && looksAlike(nameSkeletons(c.name), keys));
  if (existing) {
    const where = groupId === null ? "at the top level" : "in this group";
    throw invalid(`"${name}" looks like the existing component "${existing.name}" ${where}.`, [
      { path: "name", message: `looks like the existing component "${existing.name}" ${where}` },
    ]);
  }
}

export function groupStatusError(): HeraldError {
  return invalid("A group's status is the worst of its components' statuses; set the components instead.", [
    { path: "status", message: "groups take their status from their components" },
  ]);
}

export function findComponent(all: ComponentRow[], id: string): ComponentRow {
  const component = all.find((c) => c.id === id);
  if (!component) throw notFound(`There is no component with id "${id}".`);
  return component;
}
