/** @jsxImportSource hono/jsx */
import type { Context, Hono } from "hono";
import { run } from "../../../core/actions/run.ts";
import { getPage } from "../../../core/page/get-page.ts";
import { formatDay } from "../../../core/presentation/time.ts";
import { addDays, dayIn } from "../../../core/review/period.ts";
import { readReview } from "../../../core/review/read-review.ts";
import { reviewCsv } from "../../../core/review/review-csv.ts";
import { summaryLines } from "../../../core/review/summary.ts";
import type { Review } from "../../../core/review/types.ts";
import { render } from "../render.ts";
import { ReviewBreakdowns, ReviewCharts, ReviewFigures, type ReviewLinks, ReviewWorst } from "../screens/review.tsx";
import { actionContext, type ConsoleDeps, type ConsoleEnv } from "../session.ts";
import { Card } from "../ui/card.tsx";
import { Layout, PageHead } from "../ui/layout.tsx";

const PARAMS = ["from", "to", "component", "commander"] as const;
type Params = Partial<Record<(typeof PARAMS)[number], string>>;

function paramsOf(c: Context<ConsoleEnv>): Params {
  return Object.fromEntries(PARAMS.flatMap((p) => (c.req.query(p) ? [[p, c.req.query(p) ?? ""]] : [])));
}

function href(path: string, params: Params, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({ ...params, ...extra }).toString();
  return query ? `${path}?${query}` : path;
}

/** The last week, 30 days and quarter, each ending today in the page's time zone. */
function presets(today: string): { label: string; from: string; to: string }[] {
  return [
    { label: "Last 7 days", from: addDays(today, -6), to: today },
    { label: "Last 30 days", from: addDays(today, -29), to: today },
    { label: "Last quarter (90 days)", from: addDays(today, -89), to: today },
  ];
}

/** The period as the page's days: "Nov 20, 2026 – Nov 26, 2026". */
function daysText(period: Review["period"], timeZone: string): string {
  const first = dayIn(new Date(period.from), timeZone);
  const last = dayIn(new Date(Date.parse(period.to) - 1), timeZone);
  return `${formatDay(first)} – ${formatDay(last)}`;
}

export function reviewRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const load = async (c: Context<ConsoleEnv>, params: Params) => {
    const [page, review] = await Promise.all([getPage(deps.db), run(actionContext(c, deps), readReview, params)]);
    return { page, review };
  };

  app.get("/review", async (c) => {
    const params = paramsOf(c);
    const { page, review } = await load(c, params);
    const today = dayIn(deps.clock.now(), page.timeZone);
    const shown = {
      from: dayIn(new Date(review.period.from), page.timeZone),
      to: dayIn(new Date(Date.parse(review.period.to) - 1), page.timeZone),
    };
    const links: ReviewLinks = {
      figure: (key) => href("/admin/review/incidents", params, { figure: key }),
      incident: (id) => `/admin/incidents/${encodeURIComponent(id)}`,
    };
    const narrow = (param: "component" | "commander", id: string) => href("/admin/review", { ...params, [param]: id });
    const filtered = review.filter.componentId ?? review.filter.commanderId;
    return render(
      c,
      <Layout title="Reliability review" section="review" session={c.get("session")} pageName={page.name}>
        <PageHead
          title="Reliability review"
          lead={`${daysText(review.period, page.timeZone)} (${page.timeZone}), against ${daysText(review.previous, page.timeZone)}.`}
          actions={
            <a class="btn" href={href("/admin/review.csv", params)} download="review.csv">
              Download CSV
            </a>
          }
        />
        <div class="grid">
          <Card id="period" title="Period" padded>
            <nav class="period-picker" aria-label="Periods">
              {presets(today).map((p) => (
                <a
                  class="btn btn-small"
                  href={href("/admin/review", { ...params, from: p.from, to: p.to })}
                  aria-current={p.from === shown.from && p.to === shown.to ? "true" : undefined}
                >
                  {p.label}
                </a>
              ))}
            </nav>
            <form method="get" action="/admin/review" class="filters">
              <div class="field">
                <label for="review-from">From</label>
                <input id="review-from" name="from" type="date" value={shown.from} required />
              </div>
              <div class="field">
                <label for="review-to">To (included)</label>
                <input id="review-to" name="to" type="date" value={shown.to} required />
              </div>
              <div class="field">
                <label for="review-component">Component</label>
                <select id="review-component" name="component">
                  <option value="">Every component</option>
                  {review.byComponent.map((comp) => (
                    <option value={comp.componentId} selected={comp.componentId === review.filter.componentId}>
                      {comp.name}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label for="review-commander">Commander</label>
                <select id="review-commander" name="commander">
                  <option value="">Everyone</option>
                  {review.byCommander.flatMap((person) =>
                    person.commanderId === null
                      ? []
                      : [
                          <option
                            value={person.commanderId}
                            selected={person.commanderId === review.filter.commanderId}
                          >
                            {person.name}
                          </option>,
                        ],
                  )}
                </select>
              </div>
              <button class="btn btn-primary" type="submit">
                Show
              </button>
              {filtered && (
                <a
                  class="btn"
                  href={href("/admin/review", {
                    ...(params.from ? { from: params.from } : {}),
                    ...(params.to ? { to: params.to } : {}),
                  })}
                >
                  Whole page
                </a>
              )}
            </form>
          </Card>
          <ReviewFigures review={review} links={links} />
          <ReviewCharts review={review} links={links} />
          <ReviewWorst review={review} links={links} timeZone={page.timeZone} />
          <ReviewBreakdowns review={review} narrow={narrow} />
        </div>
      </Layout>,
    );
  });

  app.get("/review/incidents", async (c) => {
    const params = paramsOf(c);
    const { page, review } = await load(c, params);
    const key = c.req.query("figure") ?? "";
    const line = summaryLines(review.overall).find((l) => l.key === key);
    const names = new Map(review.incidents.map((i) => [i.incidentId, i]));
    return render(
      c,
      <Layout title="Incidents behind a figure" section="review" session={c.get("session")} pageName={page.name}>
        <PageHead
          title={line ? line.label : "No such figure"}
          lead={`${daysText(review.period, page.timeZone)}: the incidents behind this figure.`}
          crumbs={<a href={href("/admin/review", params)}>Reliability review</a>}
        />
        <Card id="behind" title="Incidents" aside={`${line?.incidentIds.length ?? 0} listed`}>
          {!line || line.incidentIds.length === 0 ? (
            <p class="empty">No incidents behind this figure.</p>
          ) : (
            <ul class="list">
              {line.incidentIds.map((id) => (
                <li>
                  <a class="title-link" href={`/admin/incidents/${encodeURIComponent(id)}`}>
                    {names.get(id)?.name ?? id}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </Layout>,
    );
  });

  app.get("/review.csv", async (c) => {
    const { review } = await load(c, paramsOf(c));
    return c.body(reviewCsv(review), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="review.csv"',
    });
  });
}
