import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { components, subscriberComponents, subscribers } from "../../../db/schema.ts";
import { requireRole } from "../../actions/authorize.ts";
import type { ActionContext } from "../../actions/context.ts";
import { invalid } from "../../actions/errors.ts";
import { parseInput } from "../../actions/validation.ts";
import { commitChange } from "../../changes/commit.ts";
import { newId } from "../../model/ids.ts";
import type { ComponentRow } from "../../model/rows.ts";
import { addressFor } from "../address-visibility.ts";
import { normalizeEmail } from "../email-address.ts";
import { type NewEmailSubscriber, planNewSubscriber } from "./add-subscriber.ts";
import { parseCsv, readCell } from "./csv.ts";
import { resolveComponents } from "./resolve-components.ts";
import { importSubscribersInput } from "./schemas.ts";
import type { SubscriberRow } from "./subscriber-view.ts";

export type ImportReport = {
  accepted: number;
  /** Rows not imported, with their line in the file (its address as the caller's role may see it) and why. */
  refused: { line: number; address: string; reason: string }[];
};

const MAX_ROWS = 50_000;
/** Rows written per batch; between batches the import yields, so reads are answered during a large one. */
const ROWS_PER_BATCH = 500;
const importedState = z.enum(["active", "quarantined", "unsubscribed"]);

/**
 * Imports email subscribers from CSV as confirmed (migrations). A file that is not CSV, or has no
 * `address` column, is refused whole (422, nothing written); a bad row (not an address, an unknown
 * component, an address already subscribed) is reported and skipped. The rest are written 500 rows per
 * batch, each one audited change (the import's id, the lines it covers, counts), with a turn of the event
 * loop between batches so the page and the API answer during a large file. Resumable rather than
 * all-or-nothing: a crash leaves whole batches written, and importing the same file again adds the rest
 * (the rows already in are reported as already subscribed).
 */
export async function importSubscribers(ctx: ActionContext, rawInput: unknown): Promise<ImportReport> {
  requireRole(ctx, "admin", "import subscribers");
  const input = parseInput(importSubscribersInput, rawInput);
  const parsed = parseCsv(input.csv);
  if (!parsed.ok) {
    throw invalid(`The file is not valid CSV: ${parsed.why} (line ${parsed.line}); nothing was imported.`, [
      { path: "csv", message: `${parsed.why} at line ${parsed.line}` },
    ]);
  }
  const [header = [], ...rows] = parsed.rows;
  const column = (name: string) => header.findIndex((h) => h.trim().toLowerCase() === name);
  const [addressAt, componentsAt, stateAt, channelAt] = ["address", "components", "state", "channel"].map(column);
  if (addressAt === undefined || addressAt < 0) {
    throw invalid("The first line must name the columns, one of them `address`; nothing was imported.", [
      { path: "csv", message: "no address column in the header line" },
    ]);
  }
  if (rows.length > MAX_ROWS) {
    throw invalid(`At most ${MAX_ROWS.toLocaleString("en-US")} rows per import; nothing was imported.`, [
      { path: "csv", message: `more than ${MAX_ROWS} rows` },
    ]);
  }

  const [all, existing] = await Promise.all([
    ctx.db.select().from(components),
    ctx.db.select({ address: subscribers.address }).from(subscribers).where(eq(subscribers.channel, "email")),
  ]);
  const taken = new Set(existing.map((s) => s.address));
  const now = ctx.clock.now().toISOString();
  const report: ImportReport = { accepted: 0, refused: [] };
  const importId = newId();
  const columns = { addressAt, componentsAt, stateAt, channelAt };
  for (let first = 0; first < rows.length; first += ROWS_PER_BATCH) {
    const part = rows.slice(first, first + ROWS_PER_BATCH);
    let plan = planPart(ctx, part, first, columns, all, taken, now);
    // Someone may have subscribed one of these addresses while earlier parts were written.
    const clashes = await existingAddresses(
      ctx,
      plan.planned.map((row) => row.address),
    );
    if (clashes.length > 0) {
      for (const address of clashes) taken.add(address);
      plan = planPart(ctx, part, first, columns, all, taken, now);
    }
    const { planned, scopes } = plan;
    report.refused.push(...plan.refused);
    for (const row of planned) taken.add(row.address);
    if (planned.length > 0) {
      await commitChange(ctx, {
        statements: [
          ctx.db.insert(subscribers).values(planned),
          ...(scopes.length > 0 ? [ctx.db.insert(subscriberComponents).values(scopes)] : []),
        ],
        // Counts only: an erase must find no address in the audit log.
        audit: {
          action: "subscriber.import",
          targetType: "subscriber",
          targetId: "import",
          details: {
            import_id: importId,
            lines: [first + 2, first + part.length + 1],
            accepted: planned.length,
            refused: plan.refused.length,
          },
        },
        jobs: [],
      });
      report.accepted += planned.length;
    }
    // Let reads (the page, the API) in between parts: a large file is otherwise one long stall.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return report;
}

type Part = {
  planned: SubscriberRow[];
  scopes: { subscriberId: string; componentId: string }[];
  refused: ImportReport["refused"];
};

/** The rows of one part of the file (its first row is data row `first`), planned against the addresses taken. */
function planPart(
  ctx: Pick<ActionContext, "db" | "actor">,
  part: string[][],
  first: number,
  columns: Columns,
  all: ComponentRow[],
  taken: ReadonlySet<string>,
  now: string,
): Part {
  const result: Part = { planned: [], scopes: [], refused: [] };
  const inPart = new Set<string>();
  for (const [offset, cells] of part.entries()) {
    const outcome = planRow(cells, columns, all, (address) => taken.has(address) || inPart.has(address));
    if (!outcome.ok) {
      const address = addressFor(ctx.actor.role, null, outcome.address);
      result.refused.push({ line: first + offset + 2, address, reason: outcome.reason });
      continue;
    }
    inPart.add(outcome.subscriber.address);
    const { row } = planNewSubscriber(ctx, outcome.subscriber, now);
    result.planned.push(row);
    for (const componentId of outcome.subscriber.componentIds ?? [])
      result.scopes.push({ subscriberId: row.id, componentId });
  }
  return result;
}

/** Which of `addresses` are email subscribers now. */
async function existingAddresses(ctx: Pick<ActionContext, "db">, addresses: string[]): Promise<string[]> {
  if (addresses.length === 0) return [];
  const rows = await ctx.db
    .select({ address: subscribers.address })
    .from(subscribers)
    .where(and(eq(subscribers.channel, "email"), inArray(subscribers.address, addresses)));
  return rows.map((row) => row.address);
}

type Columns = {
  addressAt: number;
  componentsAt: number | undefined;
  stateAt: number | undefined;
  channelAt: number | undefined;
};
type RowOutcome = { ok: true; subscriber: NewEmailSubscriber } | { ok: false; address: string; reason: string };

/** One CSV row as a subscriber to add, or why it is skipped. */
function planRow(cells: string[], at: Columns, all: ComponentRow[], isTaken: (address: string) => boolean): RowOutcome {
  const cell = (index: number | undefined) =>
    index === undefined || index < 0 ? "" : readCell(cells[index] ?? "").trim();
  const given = cell(at.addressAt);
  const refuse = (reason: string): RowOutcome => ({ ok: false, address: given, reason });
  const channel = cell(at.channelAt) || "email";
  if (channel !== "email") return refuse("only email subscribers are imported; add webhooks through the API");
  const address = normalizeEmail(given);
  if (!address) return refuse("not an email address");
  if (isTaken(address)) return refuse("already a subscriber");
  const stateCell = cell(at.stateAt) || "active";
  const state = importedState.safeParse(stateCell);
  if (!state.success) return refuse(`state must be active, quarantined or unsubscribed, not "${stateCell}"`);
  const names = cell(at.componentsAt)
    .split(";")
    .map((v) => v.trim())
    .filter((v) => v !== "");
  const resolved = names.length > 0 ? resolveComponents(names, all) : { ok: true as const, ids: null };
  if (!resolved.ok) return refuse(`component "${resolved.value}": ${resolved.why}`);
  return {
    ok: true,
    subscriber: {
      address,
      componentIds: resolved.ids,
      state: state.data,
      source: "import",
    },
  };
}
