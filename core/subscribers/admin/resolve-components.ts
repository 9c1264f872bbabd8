import type { ComponentRow } from "../../model/rows.ts";

/**
 * Component ids from what a person typed: an id, or a name (any case) that only one component has.
 * Returns the ids, or the first value that names no component (or more than one).
 */
export function resolveComponents(
  given: readonly string[],
  components: readonly ComponentRow[],
): { ok: true; ids: string[] } | { ok: false; value: string; why: string } {
  const byId = new Map(components.map((c) => [c.id, c]));
  const byName = new Map<string, ComponentRow[]>();
  for (const c of components) {
    const key = c.name.normalize("NFC").toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), c]);
  }
  const ids = new Set<string>();
  for (const value of given) {
    const found = byId.get(value) ?? byName.get(value.trim().normalize("NFC").toLowerCase())?.[0];
    // A sunset component has left the page: nobody subscribes to it any more (docs/inventory.md).
    if (found?.stage === "sunset") return { ok: false, value, why: "this component has left the page (sunset)" };
    const byItsId = byId.get(value);
    if (byItsId) {
      ids.add(byItsId.id);
      continue;
    }
    const named = byName.get(value.trim().normalize("NFC").toLowerCase()) ?? [];
    const [only] = named;
    if (named.length === 1 && only) ids.add(only.id);
    else if (named.length > 1) return { ok: false, value, why: "more than one component has this name; use its id" };
    else return { ok: false, value, why: "no component has this id or name" };
  }
  return { ok: true, ids: [...ids] };
}
