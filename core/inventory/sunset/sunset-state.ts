import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import type { SubscriberState } from "../../../db/enums.ts";
import { components, page as pageTable } from "../../../db/schema.ts";
import { invalid, notFound } from "../../actions/errors.ts";
import { listComponents } from "../../components/load-components.ts";
import type { ComponentRow, PageRow } from "../../model/rows.ts";
import { NOT_INITIALIZED } from "../../page/get-page.ts";

/** A subscription that names only components leaving the page: it ends when the last of them is sunset. */
export type EndingSubscription = { id: string; state: SubscriberState };

/** What a deprecation, undeprecation or sunset is planned from, read once. */
export type SunsetState = {
  db: Db;
  page: PageRow;
  components: ComponentRow[];
  component: ComponentRow;
  /** Subscriptions that end when this component is sunset (read only for a sunset). */
  endings: EndingSubscription[];
};

export async function loadSunsetState(db: Db, id: string, withEndings = false): Promise<SunsetState> {
  const [[page], all] = await Promise.all([db.select().from(pageTable).limit(1), listComponents(db)]);
  if (!page) throw new Error(NOT_INITIALIZED);
  const component = all.find((c) => c.id === id);
  if (!component) throw notFound(`There is no component ${id}.`);
  if (component.isGroup) {
    throw invalid(`${component.name} is a group: deprecate and sunset its components one by one.`, [
      { path: "id", message: "a group cannot be deprecated" },
    ]);
  }
  return { db, page, components: all, component, endings: withEndings ? await endingSubscriptions(db, id) : [] };
}

/**
 * Subscriptions (not yet unsubscribed) that name this component and nothing else still on the page: a
 * group, or another component that is not sunset, keeps a subscription alive.
 */
export async function endingSubscriptions(db: Db, componentId: string): Promise<EndingSubscription[]> {
  return db.all<EndingSubscription>(sql`SELECT s.id, s.state FROM subscribers s
    WHERE s.all_components = 0 AND s.state != 'unsubscribed'
      AND EXISTS (SELECT 1 FROM subscriber_components sc WHERE sc.subscriber_id = s.id AND sc.component_id = ${componentId})
      AND NOT EXISTS (SELECT 1 FROM subscriber_components sc JOIN components c ON c.id = sc.component_id
        WHERE sc.subscriber_id = s.id AND sc.component_id != ${componentId} AND c.stage != 'sunset')
    ORDER BY s.id`);
}

/** Deprecated components whose reminder or sunset may be due at `now` (the tick's first read). */
export async function deprecatedComponents(db: Db): Promise<ComponentRow[]> {
  return db
    .select()
    .from(components)
    .where(and(eq(components.stage, "deprecated"), sql`${components.sunsetAt} IS NOT NULL`));
}
