/** @jsxImportSource hono/jsx */
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { InputOf } from "../../../core/actions/define.ts";
import { run } from "../../../core/actions/run.ts";
import { getPageSettings } from "../../../core/page/page-settings.ts";
import { updatePageSettings } from "../../../core/page/update-page-settings.ts";
import { attempt, done, render } from "../render.ts";
import { PageSettingsScreen, SETTINGS_FIELD_NAMES, settingsFormValues } from "../screens/page-settings.tsx";
import { actionContext, type ConsoleDeps, type ConsoleEnv } from "../session.ts";
import { whole } from "../template-form.ts";
import type { FormValues, Refusal } from "../ui/form.tsx";

const REQUIRED = new Set(["name", "url", "time_zone", "sunset_reminder_days"]);
const NUMBERS = new Set(["default_next_update_minutes", "review_weekday", "review_hour", "sunset_reminder_days"]);

/**
 * The settings form as `PATCH /api/page`'s input: an emptied optional field clears it (null); the
 * reliability page's checkbox, sent only when ticked, is off when absent.
 */
function settingsInputFromForm(form: FormValues): InputOf<typeof updatePageSettings> {
  const input: InputOf<typeof updatePageSettings> = { public_reliability: form.public_reliability === "true" };
  for (const name of SETTINGS_FIELD_NAMES) {
    const value = form[name];
    if (value === undefined || name === "public_reliability") continue;
    const blank = value.trim() === "";
    const given = blank ? (REQUIRED.has(name) ? value : null) : value;
    Object.assign(input, { [name]: NUMBERS.has(name) && !blank ? whole(value.trim()) : given });
  }
  return input;
}

export function settingsRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const screen = async (
    c: Context<ConsoleEnv>,
    form?: FormValues,
    refusal?: Refusal,
    status: ContentfulStatusCode = 200,
  ) => {
    const settings = await run(actionContext(c, deps), getPageSettings, {});
    return render(
      c,
      <PageSettingsScreen
        session={c.get("session")}
        pageName={settings.name}
        settings={settings}
        form={form ?? settingsFormValues(settings)}
        refusal={refusal}
        done={c.req.query("done")}
      />,
      status,
    );
  };
  app.get("/settings", (c) => screen(c));
  app.post("/settings", async (c) => {
    const form = c.get("form");
    const result = await attempt(() => run(actionContext(c, deps), updatePageSettings, settingsInputFromForm(form)));
    if (!result.ok) return screen(c, form, result.refusal, result.status);
    return done(c, "/admin/settings", "settings");
  });
}
