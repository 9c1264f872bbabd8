import { defineQuery } from "../../actions/define.ts";
import { invalid } from "../../actions/errors.ts";
import { run } from "../../actions/run.ts";
import { newId } from "../../model/ids.ts";
import { parseCsv } from "./csv.ts";
import { type ImportReport, importSubscriberBatch } from "./import-batch.ts";
import { importSubscribersInput } from "./schemas.ts";

export { type ImportReport, importReportSchema } from "./import-batch.ts";

const MAX_ROWS = 50_000;
/** Rows written per batch; between batches the import yields, so reads are answered during a large one. */
const ROWS_PER_BATCH = 500;

/**
 * Imports email subscribers from CSV as confirmed (migrations). A file that is not CSV, or has no
 * `address` column, is refused whole (422, nothing written); a bad row (not an address, an unknown
 * component, an address already subscribed) is reported and skipped. The rest are written 500 rows per
 * batch, each one audited change (the import's id, the lines it covers, counts), with a turn of the event
 * loop between batches so the page and the API answer during a large file. Resumable rather than
 * all-or-nothing: a crash leaves whole batches written, and importing the same file again adds the rest
 * (the rows already in are reported as already subscribed).
 *
 * Not one batch, so not one plan: this definition checks the role and the file, then runs each part as
 * its own action (`importSubscriberBatch`).
 */
export const importSubscribers = defineQuery({
  name: "subscriber.import",
  role: "admin",
  doing: "import subscribers",
  input: importSubscribersInput,
  async read(ctx, input): Promise<ImportReport> {
    const parsed = parseCsv(input.csv);
    if (!parsed.ok) {
      throw invalid(`The file is not valid CSV: ${parsed.why} (line ${parsed.line}); nothing was imported.`, [
        { path: "csv", message: `${parsed.why} at line ${parsed.line}` },
      ]);
    }
    const [header = [], ...rows] = parsed.rows;
    const column = (name: string) => header.findIndex((h) => h.trim().toLowerCase() === name);
    const columns = {
      address: column("address"),
      components: column("components"),
      state: column("state"),
      channel: column("channel"),
    };
    if (columns.address < 0) {
      throw invalid("The first line must name the columns, one of them `address`; nothing was imported.", [
        { path: "csv", message: "no address column in the header line" },
      ]);
    }
    if (rows.length > MAX_ROWS) {
      throw invalid(`At most ${MAX_ROWS.toLocaleString("en-US")} rows per import; nothing was imported.`, [
        { path: "csv", message: `more than ${MAX_ROWS} rows` },
      ]);
    }
    const report: ImportReport = { accepted: 0, refused: [] };
    const importId = newId();
    for (let first = 0; first < rows.length; first += ROWS_PER_BATCH) {
      const part = rows.slice(first, first + ROWS_PER_BATCH);
      const done = await run(ctx, importSubscriberBatch, { import_id: importId, first, rows: part, columns });
      report.accepted += done.accepted;
      report.refused.push(...done.refused);
      // Let reads (the page, the API) in between parts: a large file is otherwise one long stall.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    return report;
  },
});
