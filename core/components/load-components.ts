import { asc, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { components } from "../../db/schema.ts";
import { notFound } from "../actions/errors.ts";
import type { ComponentRow } from "../model/rows.ts";

/** All components and groups in page order: groups and ungrouped components by position, children after. */
export async function listComponents(db: Db): Promise<ComponentRow[]> {
  return db.select().from(components).orderBy(asc(components.position), asc(components.createdAt));
}

export async function getComponent(db: Db, id: string): Promise<ComponentRow> {
  const [row] = await db.select().from(components).where(eq(components.id, id));
  if (!row) throw notFound(`There is no component with id "${id}".`);
  return row;
}
