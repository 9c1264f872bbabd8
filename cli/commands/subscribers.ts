import { readFile, writeFile } from "node:fs/promises";
import { countSubscribersRoute, exportSubscribersRoute, importSubscribersRoute } from "../../api/routes/subscribers.ts";
import { parseCsv } from "../../core/subscribers/admin/csv.ts";
import type { SubscriberCounts } from "../../core/subscribers/admin/list-subscribers.ts";
import { type CommandGroup, requiredPositional, stringOption, table } from "../command.ts";

function countsText(counts: SubscriberCounts): string {
  const rows = [
    ["total", String(counts.total)],
    ...(counts.matching === undefined ? [] : [["matching", String(counts.matching)]]),
    ...Object.entries(counts.by_state).map(([state, n]) => [`  ${state}`, String(n)]),
    ...Object.entries(counts.by_channel).map(([channel, n]) => [`  ${channel}`, String(n)]),
  ];
  return table(rows);
}

/** The exported CSV as objects keyed by its header (for `--json`). */
function csvRecords(csv: string): Record<string, string>[] {
  const parsed = parseCsv(csv);
  if (!parsed.ok) throw new Error(`The export is not valid CSV (line ${parsed.line}: ${parsed.why}).`);
  const [header = [], ...rows] = parsed.rows;
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ""])));
}

const importUsage = "subscribers import FILE";

export const subscribersGroup: CommandGroup = {
  name: "subscribers",
  summary: "Subscribers: count them, export and import CSV.",
  commands: [
    {
      name: "count",
      usage: "subscribers count [--state S] [--channel C] [--search TEXT]",
      summary: "Count subscribers by state and channel.",
      options: {
        state: {
          type: "string",
          value: "STATE",
          description: "unconfirmed, active, quarantined, unsubscribed, disabled",
        },
        channel: { type: "string", value: "CHANNEL", description: "email or webhook" },
        search: { type: "string", value: "TEXT", description: "a piece of the address (below admin: all of it)" },
      },
      fieldOptions: { state: "--state", channel: "--channel", q: "--search" },
      async run(ctx, { values }) {
        const counts = await ctx.api().run(countSubscribersRoute, {
          state: stringOption(values, "state"),
          channel: stringOption(values, "channel"),
          q: stringOption(values, "search"),
        });
        ctx.print(counts, countsText);
        return 0;
      },
    },
    {
      name: "export",
      usage: "subscribers export [--output FILE]",
      summary: "Export every subscriber as CSV (admin token), to stdout or a file.",
      options: { output: { type: "string", short: "o", value: "FILE", description: "write the CSV here" } },
      notes: "With --json the rows are printed as JSON objects instead of CSV.",
      async run(ctx, { values }) {
        const csv = await ctx.api().text(exportSubscribersRoute.path);
        const output = stringOption(values, "output");
        if (output) {
          await writeFile(output, csv);
          const rows = csvRecords(csv).length;
          ctx.print({ file: output, rows }, (r) => `Wrote ${r.rows} subscribers to ${r.file}.`);
        } else if (ctx.json) ctx.print(csvRecords(csv), () => "");
        else process.stdout.write(csv);
        return 0;
      },
    },
    {
      name: "import",
      usage: importUsage,
      summary: "Import confirmed email subscribers from a CSV file (`-` reads stdin; admin token).",
      notes:
        "The file has a header row with an `address` column, optionally `components` (names or ids, `;`-separated)\nand `state`. Rows that cannot be imported are listed with why; the others are imported.",
      fieldOptions: { csv: "FILE" },
      async run(ctx, parsed) {
        const file = requiredPositional(parsed, 0, "the CSV file", importUsage);
        const csv = file === "-" ? await readStdin() : await readFile(file, "utf8");
        const report = await ctx.api().run(importSubscribersRoute, { csv });
        ctx.print(report, (r) =>
          [
            `Imported ${r.accepted} subscribers.`,
            ...(r.refused.length > 0
              ? [`Refused ${r.refused.length}:`, table(r.refused.map((x) => [`  line ${x.line}`, x.address, x.reason]))]
              : []),
          ].join("\n"),
        );
        return 0;
      },
    },
  ],
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
