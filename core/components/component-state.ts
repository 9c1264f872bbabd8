import type { Db } from "../../db/client.ts";
import { page as pageTable } from "../../db/schema.ts";
import type { ComponentRow, PageRow } from "../model/rows.ts";
import { NOT_INITIALIZED } from "../page/get-page.ts";
import { orderComponents, type V2Component, v2Component } from "../public/statuspage.ts";
import { listComponents } from "./load-components.ts";

/**
 * What a component or incident change is planned from, read once: the page and every component.
 * `db` only builds the planned statements; planning never reads it.
 */
export type ComponentState = {
  db: Db;
  /** Null before the page is set up (the demo seed creates components first). */
  page: PageRow | null;
  components: ComponentRow[];
};

export async function loadComponentState(db: Db): Promise<ComponentState> {
  const [[page], components] = await Promise.all([db.select().from(pageTable).limit(1), listComponents(db)]);
  return { db, page: page ?? null, components };
}

/** The page, for views that link to it. */
export function pageOf(state: ComponentState): PageRow {
  if (!state.page) throw new Error(NOT_INITIALIZED);
  return state.page;
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
  return v2Component(component, state.components, state.page?.id ?? "");
}

export function componentsView(state: ComponentState): V2Component[] {
  return orderComponents(state.components).map((c) => componentView(state, c));
}
