import { z } from "zod";
import { ID_PATTERN } from "../model/ids.ts";
import { emailAddress } from "./email-address.ts";

/** The most components and groups one subscriber can choose (more than any page has). */
export const MAX_SCOPE = 500;

const componentIds = z
  .array(z.string().regex(ID_PATTERN, "not a component id"))
  .max(MAX_SCOPE, `at most ${MAX_SCOPE} components`);

/**
 * What the subscribe form (or a JSON client) sends: an address and either the whole page or chosen
 * components and groups (a group covers its members). Without `scope`, choosing components means scoped.
 */
export const subscribeInput = z
  .object({
    email: emailAddress,
    scope: z.enum(["all", "components"]).optional(),
    components: componentIds.default([]),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.scope === "components" && input.components.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["components"],
        message: "choose at least one component, or the whole page",
      });
    }
  })
  .transform(({ email, scope, components }) => ({
    email,
    allComponents: scope === "all" || (scope === undefined && components.length === 0),
    componentIds: scope === "all" ? [] : [...new Set(components)],
  }));

export type SubscribeInput = z.input<typeof subscribeInput>;
export type Subscription = z.output<typeof subscribeInput>;

/** A change of scope from the preferences page. */
export const preferencesInput = z
  .object({ scope: z.enum(["all", "components"]), components: componentIds.default([]) })
  .strict()
  .superRefine((input, ctx) => {
    if (input.scope === "components" && input.components.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["components"],
        message: "choose at least one component, or the whole page",
      });
    }
  })
  .transform(({ scope, components }) => ({
    allComponents: scope === "all",
    componentIds: scope === "all" ? [] : [...new Set(components)],
  }));

export type Preferences = z.output<typeof preferencesInput>;
