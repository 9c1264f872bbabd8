import type { Hono } from "hono";
import { html } from "hono/html";
import { HeraldError } from "../../../core/actions/errors.ts";
import { previewBody } from "../../../core/incidents/preview-body.ts";
import type { ConsoleEnv } from "../session.ts";

/** The live preview: the sanitized HTML the page will show for this Markdown. Writes nothing. */
export function previewRoute(app: Hono<ConsoleEnv>): void {
  app.post("/preview", (c) => {
    const form = c.get("form");
    const body = (form.body ?? "").replace(/\r\n/g, "\n");
    if (!body.trim()) return c.html(html`<p class="meta">Nothing to preview yet.</p>`);
    try {
      return c.html(previewBody(form.kind === "postmortem" ? "postmortem" : "update", body));
    } catch (error) {
      if (error instanceof HeraldError)
        return c.html(html`<p class="error">${error.fieldErrors[0]?.message ?? error.message}</p>`, 422);
      throw error;
    }
  });
}
