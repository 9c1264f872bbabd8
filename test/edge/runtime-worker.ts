import { systemClock } from "../../core/actions/clock.ts";
import { SYSTEM_ACTOR } from "../../core/actions/context.ts";
import { run } from "../../core/actions/run.ts";
import { createComponent } from "../../core/components/create-component.ts";
import { ensurePage } from "../../core/page/get-page.ts";
import { createSiteData } from "../../core/public/site-views.ts";
import { renderMarkdown } from "../../core/text/markdown.ts";
import { hashToken } from "../../core/tokens/token-hash.ts";
import { createDb } from "../../db/client.ts";

/**
 * A worker made of core/ and db/ alone (no Hono, no nodejs_compat): it runs a real action against a
 * libSQL server and renders every kind of public document, so the runtime-neutral code proves it runs.
 */
export default {
  async fetch(request: Request, env: { DATABASE_URL: string }): Promise<Response> {
    const db = createDb({ url: env.DATABASE_URL });
    const ctx = { db, clock: systemClock, actor: SYSTEM_ACTOR };
    await ensurePage(db, systemClock, { name: "Edge Status", url: "https://status.edge.test" });
    const name = new URL(request.url).searchParams.get("component") ?? "API";
    const component = await run(ctx, createComponent, { name, status: "major_outage" });
    const site = createSiteData(db);
    const index = await site.index();
    return Response.json({
      componentId: component.id,
      indexIndicator: index.status.indicator,
      summary: await site.v2("summary.json"),
      rss: await site.feed("rss"),
      atom: await site.feed("atom"),
      componentRss: await site.feed("rss", component.id),
      calendar: await site.maintenanceCalendar(),
      markdown: renderMarkdown("**bold** <script>alert(1)</script> [link](https://example.test) [bad](javascript:x)"),
      tokenHash: await hashToken("secret"),
    });
  },
};
