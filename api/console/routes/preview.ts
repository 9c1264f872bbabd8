import type { Hono } from "hono";
import { html } from "hono/html";
import { HeraldError } from "../../../core/actions/errors.ts";
import { run } from "../../../core/actions/run.ts";
import { previewBody } from "../../../core/incidents/preview-body.ts";
import { actionContext, type ConsoleDeps, type ConsoleEnv } from "../session.ts";

/** The live preview: the sanitized HTML the page will show for this Markdown. Writes nothing. */
export function previewRoute(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  app.post("/preview", async (c) => {
    const form = c.get("form");
    const body = (form.body ?? "").replace(/\r\n/g, "\n");
    if (!body.trim()) return c.html(html`<p class="meta">Nothing to preview yet.</p>`);
    try {
      const kind = form.kind === "postmortem" ? "postmortem" : "update";
      return c.html(await run(actionContext(c, deps), previewBody, { kind, body }));
    } catch (error) {
      if (error instanceof HeraldError)
        return c.html(html`<p class="error">${error.fieldErrors[0]?.message ?? error.message}</p>`, 422);
      throw error;
    }
  });
}
