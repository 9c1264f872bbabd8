/** How the review screen writes a figure and its trend: words, never colour alone. */
import { formatMinutes } from "../../../core/presentation/time.ts";
import type { SummaryLine, SummaryUnit } from "../../../core/review/summary.ts";

export function formatFigure(value: number | null, unit: SummaryUnit): string {
  if (value === null) return "–";
  if (unit === "percent") return `${value.toLocaleString("en-US", { maximumFractionDigits: 3 })} %`;
  if (unit === "minutes") return value === 0 ? "0 min" : formatMinutes(value);
  return value.toLocaleString("en-US");
}

export type Trend = { text: string; tone: "better" | "worse" | null };

/** "+3 (worse)", "−12 min (better)", "no change"; nothing to compare when either side is missing. */
export function trendOf(line: SummaryLine & { previous: number | null }): Trend {
  if (line.value === null || line.previous === null) return { text: "–", tone: null };
  const diff = Math.round((line.value - line.previous) * 1000) / 1000;
  if (diff === 0) return { text: "no change", tone: null };
  const size = formatFigure(Math.abs(diff), line.unit === "percent" ? "count" : line.unit);
  const amount = `${diff > 0 ? "+" : "−"}${size}${line.unit === "percent" ? " points" : ""}`;
  if (line.better === null) return { text: amount, tone: null };
  const better = line.better === "higher" ? diff > 0 : diff < 0;
  return { text: `${amount} (${better ? "better" : "worse"})`, tone: better ? "better" : "worse" };
}
