import { readReviewRoute, reviewCsvRoute } from "../../api/routes/review.ts";
import { parseCsv } from "../../core/subscribers/admin/csv.ts";
import { type CommandGroup, stringOption, table, type Values } from "../command.ts";

/** The review's query string from the options (the API checks the values and names the option in its error). */
function queryOf(values: Values): string {
  const params = new URLSearchParams();
  for (const [option, param] of [
    ["from", "from"],
    ["to", "to"],
    ["component", "component"],
    ["commander", "commander"],
  ] as const) {
    const value = stringOption(values, option);
    if (value !== undefined) params.set(param, value);
  }
  const query = params.toString();
  return query ? `?${query}` : "";
}

/** The CSV's summary as a table for people: the same lines the console and the export show. */
function summaryText(csv: string): string {
  const parsed = parseCsv(csv);
  if (!parsed.ok) throw new Error(`The review is not valid CSV (line ${parsed.line}: ${parsed.why}).`);
  const [periodLine, , ...rest] = parsed.rows;
  const end = rest.findIndex((row) => row.length === 1 && row[0] === "");
  const summary = (end === -1 ? rest : rest.slice(0, end)).filter((row) => row.length >= 4);
  const unit = (value: string | undefined, kind: string | undefined) =>
    !value ? "–" : kind === "minutes" ? `${value} min` : kind === "percent" ? `${value} %` : value;
  return [
    `Reliability review ${periodLine?.[1] ?? ""} to ${periodLine?.[2] ?? ""}`,
    "",
    table([
      ["figure", "this period", "previous period"],
      ...summary.map(([label = "", kind, now, before]) => [label, unit(now, kind), unit(before, kind)]),
    ]),
  ].join("\n");
}

export const reviewGroup: CommandGroup = {
  name: "review",
  summary: "The reliability review: figures of a period against the previous one (docs/review.md).",
  commands: [
    {
      name: "",
      usage: "review [--from DAY] [--to DAY] [--component ID] [--commander ID] [--csv | --json]",
      summary: "Print the review of a period (default: the last 7 days, in the page's time zone).",
      options: {
        from: { type: "string", value: "DAY", description: "the first day, YYYY-MM-DD" },
        to: { type: "string", value: "DAY", description: "the last day, included, YYYY-MM-DD" },
        component: { type: "string", value: "ID", description: "only what touched this component (or group)" },
        commander: { type: "string", value: "ID", description: "only the incidents this person commanded" },
        csv: { type: "boolean", description: "print the CSV export (the summary, then one row per incident)" },
      },
      fieldOptions: { from: "--from", to: "--to", component: "--component", commander: "--commander" },
      async run(ctx, { values }) {
        const query = queryOf(values);
        if (ctx.json) {
          ctx.print(await ctx.api().call("GET", `${readReviewRoute.path}${query}`), () => "");
          return 0;
        }
        const csv = await ctx.api().text(`${reviewCsvRoute.path}${query}`);
        if (values.csv === true) process.stdout.write(csv);
        else process.stdout.write(`${summaryText(csv)}\n`);
        return 0;
      },
    },
  ],
};
