/**
 * The review as CSV: the summary (each figure, this period and the previous one) from `summaryLines`, the
 * lines the console shows, then a blank line and one row per incident of the period with its own figures.
 * Cells through `csvLine`, which neutralises spreadsheet formulas (a name is hostile text).
 */
import { csvLine } from "../subscribers/admin/csv.ts";
import { summaryWithTrend } from "./summary.ts";
import type { Review } from "./types.ts";

export const SUMMARY_COLUMNS = ["figure", "unit", "this_period", "previous_period"];
export const INCIDENT_COLUMNS = [
  "incident_id",
  "kind",
  "name",
  "impact",
  "started_at",
  "resolved_at",
  "commander_id",
  "component_ids",
  "first_post_minutes",
  "resolve_minutes",
  "promises_due",
  "promises_kept",
  "minutes_late",
  "overrun_minutes",
];

const cell = (value: number | string | null) => (value === null ? "" : String(value));

export function reviewCsv(review: Review): string {
  const summary = summaryWithTrend(review.overall, review.previousOverall).map((line) =>
    csvLine([line.label, line.unit, cell(line.value), cell(line.previous)]),
  );
  const incidents = review.incidents.map((i) =>
    csvLine([
      i.incidentId,
      i.kind,
      i.name,
      i.impact,
      i.startedAt,
      cell(i.resolvedAt),
      cell(i.commanderId),
      i.componentIds.join(";"),
      cell(i.firstPostMinutes),
      cell(i.resolveMinutes),
      cell(i.promisesDue),
      cell(i.promisesKept),
      cell(i.minutesLate),
      cell(i.overrunMinutes),
    ]),
  );
  return [
    csvLine(["period", review.period.from, review.period.to, ""]),
    csvLine(SUMMARY_COLUMNS),
    ...summary,
    "\r\n",
    csvLine(INCIDENT_COLUMNS),
    ...incidents,
  ].join("");
}

/** The CSV as the download route streams it. */
export function reviewCsvStream(review: Review): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(reviewCsv(review));
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}
