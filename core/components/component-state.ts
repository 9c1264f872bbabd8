import type { Db } from "../../db/client.ts";
import { getPage } from "../page/get-page.ts";
import { orderComponents, type V2Component, v2Component } from "../public/statuspage.ts";
import type { ComponentRow, PageRow } from "../types.ts";
import { listComponents } from "./load-components.ts";

/**
 * What a component or incident change is planned from, read once: the page and every component.
 * `db` only builds the planned statements; planning never reads it.
 */
export type ComponentState = { db: Db; page: PageRow; components: ComponentRow[] };

export async function loadComponentState(db: Db): Promise<ComponentState> {
  const [page, components] = await Promise.all([getPage(db), listComponents(db)]);
  return { db, page, components };
}

/** The state after a plan: `changed` rows replace (or join) the components, `removed` ids leave. */
export function withComponents<S extends ComponentState>(state: S, changed: ComponentRow[], removed: string[] = []): S {
  const byId = new Map(changed.map((c) => [c.id, c]));
  const gone = new Set(removed);
  const kept = state.components.filter((c) => !gone.has(c.id)).map((c) => byId.get(c.id) ?? c);
  const added = changed.filter((c) => !state.components.some((existing) => existing.id === c.id));
  return { ...state, components: [...kept, ...added] };
}

/** A component as the API shows it, from a state (no read). */
export function componentView(state: ComponentState, component: ComponentRow): V2Component {
  return v2Component(component, state.components, state.page.id);
}

export function componentsView(state: ComponentState): V2Component[] {
  return orderComponents(state.components).map((c) => v2Component(c, state.components, state.page.id));
}
