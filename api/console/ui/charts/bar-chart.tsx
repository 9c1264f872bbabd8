/** @jsxImportSource hono/jsx */
/**
 * A horizontal bar chart drawn on the server as inline SVG (no script), with its table alternative: the SVG
 * is one image with a text summary for assistive technology; the same numbers sit in a table beside it.
 */

export type Bar = {
  label: string;
  value: number;
  /** How the value is written (e.g. "2 h 14 min"); default the number. */
  text?: string;
  /** Where the incidents behind the bar are listed. */
  href?: string | undefined;
  /** A tone class of the console (`ok`, `minor`, `major`, `critical`, `maint`); default the accent. */
  tone?: string;
};

const WIDTH = 560;
const ROW = 30;
const LABEL = 170;
const VALUE = 110;

export function BarChart(props: { id: string; title: string; bars: Bar[]; unit: string; empty: string }) {
  const max = Math.max(0, ...props.bars.map((b) => b.value));
  const height = props.bars.length * ROW + 8;
  const room = WIDTH - LABEL - VALUE;
  const summary = props.bars.map((b) => `${b.label}: ${b.text ?? b.value}`).join("; ");
  return (
    <figure class="chart" aria-labelledby={`${props.id}-cap`}>
      <figcaption id={`${props.id}-cap`}>{props.title}</figcaption>
      {max === 0 ? (
        <p class="meta">{props.empty}</p>
      ) : (
        <svg
          viewBox={`0 0 ${WIDTH} ${height}`}
          width="100%"
          role="img"
          aria-label={`${props.title}. ${summary}`}
          preserveAspectRatio="xMinYMin meet"
        >
          {props.bars.map((bar, i) => {
            const y = i * ROW + 4;
            const width = max === 0 ? 0 : Math.max(bar.value > 0 ? 2 : 0, (bar.value / max) * room);
            return (
              <g>
                <text
                  class="chart-label"
                  x={LABEL - 8}
                  y={y + ROW / 2 + 1}
                  text-anchor="end"
                  dominant-baseline="middle"
                >
                  {bar.label}
                </text>
                <rect
                  class={`chart-bar tone-${bar.tone ?? "accent"}`}
                  x={LABEL}
                  y={y + 5}
                  width={width}
                  height={ROW - 12}
                  rx="3"
                />
                <text class="chart-value" x={LABEL + width + 6} y={y + ROW / 2 + 1} dominant-baseline="middle">
                  {bar.text ?? String(bar.value)}
                </text>
              </g>
            );
          })}
        </svg>
      )}
      <details class="chart-table">
        <summary>{`${props.title} as a table`}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{props.title}</th>
              <th scope="col" class="num">
                {props.unit}
              </th>
            </tr>
          </thead>
          <tbody>
            {props.bars.map((bar) => (
              <tr>
                <th scope="row">{bar.label}</th>
                <td class="num">
                  {bar.href && bar.value > 0 ? <a href={bar.href}>{bar.text ?? bar.value}</a> : (bar.text ?? bar.value)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** The chart's styles, appended to the console's sheet. */
export const CHART_CSS = `
.chart{margin:0}.chart figcaption{font-weight:600;margin-bottom:.4rem}
.chart svg{display:block;max-width:${WIDTH}px}
.chart-label,.chart-value{fill:var(--fg);font-size:13px}.chart-value{fill:var(--muted)}
.chart-bar{fill:var(--accent)}.chart-bar.tone-ok{fill:var(--ok)}.chart-bar.tone-minor{fill:var(--minor)}
.chart-bar.tone-major{fill:var(--major)}.chart-bar.tone-critical{fill:var(--critical)}.chart-bar.tone-maint{fill:var(--maint)}
.chart-table{margin-top:.4rem;font-size:.88rem}.chart-table summary{cursor:pointer;color:var(--accent)}
.chart-table th[scope=row]{text-transform:none;letter-spacing:0;font-size:.88rem;color:var(--fg);font-weight:500}
.review-table tbody th[scope=row]{text-transform:none;letter-spacing:0;font-size:.9rem;color:var(--fg);font-weight:500;white-space:normal;border-top:1px solid var(--line);padding:.6rem 1.1rem}
.review-table tbody tr:first-child th{border-top:0}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:1.25rem}
.trend-better{color:var(--ok)}.trend-worse{color:var(--critical)}
.period-picker{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-bottom:.75rem}
.period-picker a[aria-current=true]{background:var(--accent-soft);border-color:var(--accent);font-weight:650}
`;
