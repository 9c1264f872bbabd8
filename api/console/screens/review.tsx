/** @jsxImportSource hono/jsx */
import { IMPACTS } from "../../../core/model/statuses.ts";
import { impactLook } from "../../../core/presentation/status.ts";
import { formatMinutes, formatTime } from "../../../core/presentation/time.ts";
import { summaryWithTrend } from "../../../core/review/summary.ts";
import type { Review } from "../../../core/review/types.ts";
import { Card } from "../ui/card.tsx";
import { BarChart } from "../ui/charts/bar-chart.tsx";
import { formatFigure, trendOf } from "./review-format.ts";

/** Where the screen's links go: the incidents behind a figure, one incident, the same review narrowed. */
export type ReviewLinks = {
  figure(key: string): string;
  incident(id: string): string;
};

export function ReviewFigures(props: { review: Review; links: ReviewLinks }) {
  const { review, links } = props;
  const lines = summaryWithTrend(review.overall, review.previousOverall);
  const linked = (key: string, text: string, ids: string[]) =>
    ids.length === 0 ? (
      text
    ) : ids.length === 1 ? (
      <a href={links.incident(ids[0] ?? "")}>{text}</a>
    ) : (
      <a href={links.figure(key)}>{text}</a>
    );
  return (
    <Card id="figures" title="The figures" aside="This period against the previous one of the same length">
      <section class="table-wrap" tabindex={0} aria-label="The review's figures">
        <table class="review-table">
          <thead>
            <tr>
              <th scope="col">Figure</th>
              <th scope="col" class="num">
                This period
              </th>
              <th scope="col" class="num">
                Previous
              </th>
              <th scope="col">Trend</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => {
              const trend = trendOf(line);
              return (
                <tr>
                  <th scope="row">{line.label}</th>
                  <td class="num">{linked(line.key, formatFigure(line.value, line.unit), line.incidentIds)}</td>
                  <td class="num">{formatFigure(line.previous, line.unit)}</td>
                  <td class={trend.tone ? `trend-${trend.tone}` : "meta"}>{trend.text}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </Card>
  );
}

export function ReviewCharts(props: { review: Review; links: ReviewLinks }) {
  const { overall } = props.review;
  const { links } = props;
  return (
    <Card id="charts" title="Charts" padded>
      <div class="charts">
        <BarChart
          id="by-impact"
          title="Incidents by impact"
          unit="Incidents"
          empty="No incidents in this period."
          bars={IMPACTS.filter((i) => i !== "maintenance").map((impact) => ({
            label: impactLook(impact).label,
            value: overall.incidents.byImpact[impact].count,
            tone: impactLook(impact).tone === "info" ? "accent" : impactLook(impact).tone,
            href: links.figure(`incidents.${impact}`),
          }))}
        />
        <BarChart
          id="under-status"
          title="Time under each status"
          unit="Time"
          empty="No incident was open in this period."
          bars={overall.timeUnderStatus.map((s) => ({
            label: s.status.replace("_", " ").replace(/^./, (c) => c.toUpperCase()),
            value: s.minutes,
            text: formatFigure(s.minutes, "minutes"),
            href: links.figure(`status.${s.status}`),
          }))}
        />
        <BarChart
          id="first-post"
          title="Time to first post"
          unit="Incidents"
          empty="No incident was posted in this period."
          bars={overall.firstPost.histogram.map((b) => ({
            label:
              b.toMinutes === null ? `${formatMinutes(b.fromMinutes)} or more` : `${b.fromMinutes}–${b.toMinutes} min`,
            value: b.count,
            href: links.figure("first_post.median"),
          }))}
        />
      </div>
    </Card>
  );
}

export function ReviewWorst(props: { review: Review; links: ReviewLinks; timeZone: string }) {
  const { worst, overall } = props.review;
  const item = (
    ref: { incidentId: string; name: string; startedAt: string; minutes: number; missed?: number },
    what: string,
  ) => (
    <li>
      <a class="title-link" href={props.links.incident(ref.incidentId)}>
        {ref.name}
      </a>
      <div class="meta">{`${what} · began ${formatTime(ref.startedAt, props.timeZone)}`}</div>
    </li>
  );
  return (
    <div class="cols">
      <Card id="worst-first-post" title="Slowest to first post" aside={`${worst.byFirstPost.length} listed`}>
        {worst.byFirstPost.length === 0 ? (
          <p class="empty">Every incident was posted as it began.</p>
        ) : (
          <ol class="list">{worst.byFirstPost.map((r) => item(r, `first post after ${formatMinutes(r.minutes)}`))}</ol>
        )}
      </Card>
      <Card id="worst-promises" title="Most late on promised updates" aside={`${overall.promises.late.length} late`}>
        {worst.byMissedPromises.length === 0 ? (
          <p class="empty">Every promised update came on time.</p>
        ) : (
          <ol class="list">
            {worst.byMissedPromises.map((r) =>
              item(r, `${r.missed ?? 0} late, ${formatMinutes(r.minutes)} late in all`),
            )}
          </ol>
        )}
      </Card>
    </div>
  );
}

export function ReviewBreakdowns(props: {
  review: Review;
  narrow: (param: "component" | "commander", id: string) => string;
}) {
  const { review } = props;
  return (
    <>
      <Card id="by-component" title="Per component" aside="Uptime by the page's rule, against each component's target">
        <section class="table-wrap" tabindex={0} aria-label="Figures per component">
          <table class="review-table">
            <thead>
              <tr>
                <th scope="col">Component</th>
                <th scope="col" class="num">
                  Uptime
                </th>
                <th scope="col">Target</th>
                <th scope="col" class="num">
                  Incidents
                </th>
                <th scope="col" class="num">
                  Major outage
                </th>
                <th scope="col" class="num">
                  Partial outage
                </th>
              </tr>
            </thead>
            <tbody>
              {review.byComponent.map((c) => (
                <tr>
                  <th scope="row">
                    <a href={props.narrow("component", c.componentId)}>{c.name}</a>
                  </th>
                  <td class="num">{formatFigure(c.figures.uptime?.percent ?? null, "percent")}</td>
                  <td class={c.target ? (c.target.met ? "trend-better" : "trend-worse") : "meta"}>
                    {c.target
                      ? `${c.target.target} %: ${c.target.met ? "met" : `missed by ${c.target.byPoints} points`}`
                      : "none set"}
                  </td>
                  <td class="num">{c.figures.incidents.count}</td>
                  <td class="num">{formatFigure(c.figures.uptime?.minutes.major_outage ?? 0, "minutes")}</td>
                  <td class="num">{formatFigure(c.figures.uptime?.minutes.partial_outage ?? 0, "minutes")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </Card>
      <Card id="by-commander" title="Per commander" aside="The incidents each person commanded">
        {review.byCommander.length === 0 ? (
          <p class="empty">No incidents in this period.</p>
        ) : (
          <section class="table-wrap" tabindex={0} aria-label="Figures per commander">
            <table class="review-table">
              <thead>
                <tr>
                  <th scope="col">Commander</th>
                  <th scope="col" class="num">
                    Incidents
                  </th>
                  <th scope="col" class="num">
                    First post, median
                  </th>
                  <th scope="col" class="num">
                    Promises kept
                  </th>
                  <th scope="col" class="num">
                    Resolve, median
                  </th>
                </tr>
              </thead>
              <tbody>
                {review.byCommander.map((c) => (
                  <tr>
                    <th scope="row">
                      {c.commanderId === null ? (
                        c.name
                      ) : (
                        <a href={props.narrow("commander", c.commanderId)}>{c.name}</a>
                      )}
                    </th>
                    <td class="num">{c.figures.incidents.count}</td>
                    <td class="num">{formatFigure(c.figures.firstPost.median, "minutes")}</td>
                    <td class="num">{formatFigure(c.figures.promises.keptPercent, "percent")}</td>
                    <td class="num">{formatFigure(c.figures.resolve.median, "minutes")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
      </Card>
    </>
  );
}
