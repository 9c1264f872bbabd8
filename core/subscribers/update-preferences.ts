import { eq } from "drizzle-orm";
import { subscribers } from "../../db/schema.ts";
import { isoNow } from "../actions/clock.ts";
import type { ActionContext } from "../actions/context.ts";
import { invalid, notFound } from "../actions/errors.ts";
import { parseInput } from "../actions/validation.ts";
import { commitChange } from "../changes/commit.ts";
import { preferencesInput } from "./schemas.ts";
import { checkComponentsExist, findSubscriber, replaceScope } from "./scope.ts";

/** The subscriber changed what it is told about, from the preferences page (whole page or chosen components). */
export async function updatePreferences(ctx: ActionContext, subscriberId: string, input: unknown): Promise<void> {
  const preferences = parseInput(preferencesInput, input);
  const subscriber = await findSubscriber(ctx.db, subscriberId);
  if (!subscriber) throw notFound("This subscription no longer exists.");
  if (subscriber.state !== "active" && subscriber.state !== "unconfirmed") {
    throw invalid("This subscription is not active: subscribe again from the status page to change it.");
  }
  await checkComponentsExist(ctx.db, preferences.componentIds);
  const now = isoNow(ctx.clock);
  await commitChange(ctx, {
    statements: [
      ctx.db
        .update(subscribers)
        .set({ allComponents: preferences.allComponents, updatedAt: now })
        .where(eq(subscribers.id, subscriberId)),
      ...replaceScope(ctx.db, subscriberId, preferences.componentIds),
    ],
    audit: {
      action: "subscriber.preferences_changed",
      targetType: "subscriber",
      targetId: subscriberId,
      details: { scope: preferences.allComponents ? "all" : preferences.componentIds },
    },
    jobs: [],
  });
}
