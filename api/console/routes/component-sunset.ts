import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { run } from "../../../core/actions/run.ts";
import { deprecateComponent } from "../../../core/inventory/sunset/deprecate.ts";
import { sunsetComponent } from "../../../core/inventory/sunset/sunset-now.ts";
import { undeprecateComponent } from "../../../core/inventory/sunset/undeprecate.ts";
import { utcFromInput } from "../incident-form.ts";
import { attempt, done } from "../render.ts";
import type { RetirementActive } from "../screens/component-retirement.tsx";
import { actionContext, type ConsoleDeps, type ConsoleEnv } from "../session.ts";

/** Shows the components screen again with a refused retirement form open. */
export type RetirementScreen = (
  c: Context<ConsoleEnv>,
  active: RetirementActive,
  status: ContentfulStatusCode,
) => Promise<Response>;

/** The component screen's deprecate, undeprecate and sunset forms (docs/inventory.md, Sunsetting). */
export function componentSunsetRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps, screen: RetirementScreen): void {
  app.post("/components/:id/deprecate", async (c) => {
    const form = c.get("form");
    const id = c.req.param("id");
    const input = { id, sunset_at: utcFromInput(form.sunset_at ?? ""), message: form.message ?? "" };
    const result = await attempt(() => run(actionContext(c, deps), deprecateComponent, input));
    if (!result.ok) return screen(c, { form: `retire-${id}`, values: form, refusal: result.refusal }, result.status);
    return done(c, "/admin/components", "deprecated");
  });

  for (const [path, action, what] of [
    ["undeprecate", undeprecateComponent, "undeprecated"],
    ["sunset", sunsetComponent, "sunset"],
  ] as const) {
    app.post(`/components/:id/${path}`, async (c) => {
      const id = c.req.param("id");
      const result = await attempt(() => run(actionContext(c, deps), action, { id }));
      if (!result.ok) return screen(c, { form: `retire-${id}`, values: {}, refusal: result.refusal }, result.status);
      return done(c, "/admin/components", what);
    });
  }
}
