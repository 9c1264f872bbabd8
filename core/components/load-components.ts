import { asc } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { components } from "../../db/schema.ts";
import type { ComponentRow } from "../model/rows.ts";

/** All components and groups in page order: groups and ungrouped components by position, children after. */
export async function listComponents(db: Db): Promise<ComponentRow[]> {
  return db.select().from(components).orderBy(asc(components.position), asc(components.createdAt));
}
