import { components, incidents } from "../../db/schema.ts";
import type { ActionContext } from "../actions/context.ts";
import { run } from "../actions/run.ts";
import { createComponent } from "../components/create-component.ts";

/** Gives a new, empty page a few components and one group, so the first start shows a real page. */
export async function seedDemoIfEmpty(ctx: ActionContext): Promise<boolean> {
  const [anyComponent] = await ctx.db.select({ id: components.id }).from(components).limit(1);
  const [anyIncident] = await ctx.db.select({ id: incidents.id }).from(incidents).limit(1);
  if (anyComponent || anyIncident) return false;
  await run(ctx, createComponent, { name: "Website", description: "Marketing site and documentation" });
  await run(ctx, createComponent, { name: "API", description: "Public REST API" });
  const platform = await run(ctx, createComponent, {
    name: "Platform",
    group: true,
    description: "What the product runs on",
  });
  await run(ctx, createComponent, { name: "Database", group_id: platform.id });
  await run(ctx, createComponent, { name: "Background jobs", group_id: platform.id });
  await run(ctx, createComponent, { name: "Email delivery", group_id: platform.id });
  return true;
}
