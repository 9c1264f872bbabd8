import { eq } from "drizzle-orm";
import { subscribers } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { invalid, notFound } from "../actions/errors.ts";
import { preferencesInput } from "./schemas.ts";
import { checkComponentsExist, findSubscriber, replaceScope } from "./scope.ts";

/** The subscriber changed what it is told about, from the preferences page (whole page or chosen components). */
export const updatePreferences = defineAction({
  name: "subscriber.update_preferences",
  // Public, but its authority is the signed link the caller checked (api/subscribe/link-routes.ts): it takes a
  // bare subscriber id, so it must never be mounted on a route of its own.
  role: "public",
  doing: "change subscription preferences",
  input: preferencesInput,
  async load(ctx, preferences) {
    const subscriber = await findSubscriber(ctx.db, preferences.subscriberId);
    if (!subscriber) throw notFound("This subscription no longer exists.");
    if (subscriber.state !== "active" && subscriber.state !== "unconfirmed") {
      throw invalid("This subscription is not active: subscribe again from the status page to change it.");
    }
    await checkComponentsExist(ctx.db, preferences.componentIds);
    return { db: ctx.db };
  },
  plan({ db }, { subscriberId, allComponents, componentIds }, { now: at }): Outcome<{ outcome: "saved" }> {
    const now = at.toISOString();
    const change = {
      statements: [
        db.update(subscribers).set({ allComponents, updatedAt: now }).where(eq(subscribers.id, subscriberId)),
        ...replaceScope(db, subscriberId, componentIds),
      ],
      audit: {
        action: "subscriber.preferences_changed",
        targetType: "subscriber",
        targetId: subscriberId,
        details: { scope: allComponents ? "all" : componentIds },
      },
      jobs: [],
    };
    return { changes: [change], result: { outcome: "saved" } };
  },
});
