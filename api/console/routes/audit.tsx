/** @jsxImportSource hono/jsx */
import type { Hono } from "hono";
import { run } from "../../../core/actions/run.ts";
import { readAudit } from "../../../core/audit/list-audit.ts";
import { getPage } from "../../../core/page/get-page.ts";
import { render } from "../render.ts";
import { actionContext, type ConsoleDeps, type ConsoleEnv } from "../session.ts";
import { Layout, PageHead } from "../ui/layout.tsx";
import { Time } from "../ui/time.tsx";

const PAGE_SIZE = 50;

/** A change's details in one line: the fields it set, as written. */
function detailsLine(details: Record<string, unknown>): string {
  const text = Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" · ");
  return text.length > 240 ? `${text.slice(0, 239)}…` : text;
}

export function auditRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  app.get("/audit", async (c) => {
    const before = c.req.query("before");
    // Any time the browser understood pages back; the query takes it as ISO 8601 UTC.
    const validBefore = before && !Number.isNaN(Date.parse(before)) ? new Date(before).toISOString() : undefined;
    const [page, entries] = await Promise.all([
      getPage(deps.db),
      run(actionContext(c, deps), readAudit, { limit: String(PAGE_SIZE), before: validBefore }),
    ]);
    const last = entries[entries.length - 1];
    return render(
      c,
      <Layout title="Audit log" section="audit" session={c.get("session")} pageName={page.name}>
        <PageHead title="Audit log" lead="Every change, who made it and when, newest first." />
        <section class="card" aria-labelledby="audit-h">
          <div class="card-h">
            <h2 id="audit-h">{validBefore ? "Older changes" : "Latest changes"}</h2>
            <p>{`${entries.length} shown`}</p>
          </div>
          {entries.length === 0 ? (
            <p class="empty">Nothing recorded yet.</p>
          ) : (
            <section class="table-wrap" tabindex={0} aria-label="Audit entries">
              <table>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Who</th>
                    <th scope="col">What</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((e) => (
                    <tr>
                      <td class="meta">
                        <Time at={e.at} />
                      </td>
                      <td>{e.actor}</td>
                      <td>
                        <code>{e.action}</code> <span class="meta">{`${e.target_type} ${e.target_id}`}</span>
                        <div class="meta">{detailsLine(e.details)}</div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
          {entries.length === PAGE_SIZE && last && (
            <div class="card-b">
              <a class="btn" href={`/admin/audit?before=${encodeURIComponent(last.at)}`}>
                Older
              </a>
            </div>
          )}
        </section>
      </Layout>,
    );
  });
}
