import { eq } from "drizzle-orm";
import { components, subscribers } from "../../../db/schema.ts";
import { requireRole } from "../../authorize.ts";
import { commitChange, type Statement } from "../../commit.ts";
import type { ActionContext } from "../../context.ts";
import { invalid } from "../../errors.ts";
import { parseInput } from "../../validation.ts";
import { normalizeEmail } from "../email-address.ts";
import { type NewEmailSubscriber, planNewSubscriber } from "./add-subscriber.ts";
import { parseCsv, readCell } from "./csv.ts";
import { resolveComponents } from "./resolve-components.ts";
import { importSubscribersInput } from "./schemas.ts";

export type ImportReport = {
  accepted: number;
  /** Rows not imported, with their line in the file and why; the others are imported. */
  refused: { line: number; address: string; reason: string }[];
};

const MAX_ROWS = 50_000;
const IMPORTED_STATES = new Set(["active", "quarantined", "unsubscribed"]);

/**
 * Imports email subscribers from CSV as confirmed (migrations). A file that is not CSV, or has no
 * `address` column, is refused whole (422, nothing written); a bad row (not an address, an unknown
 * component, an address already subscribed) is reported and skipped; the rest are written in one batch.
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
  const statements: Statement[] = [];
  for (const [index, cells] of rows.entries()) {
    const line = index + 2;
    const cell = (at: number | undefined) => (at === undefined || at < 0 ? "" : readCell(cells[at] ?? "").trim());
    const given = cell(addressAt);
    const refuse = (reason: string) => {
      report.refused.push({ line, address: given, reason });
    };
    const channel = cell(channelAt) || "email";
    if (channel !== "email") {
      refuse("only email subscribers are imported; add webhooks through the API");
      continue;
    }
    const address = normalizeEmail(given);
    if (!address) {
      refuse("not an email address");
      continue;
    }
    if (taken.has(address)) {
      refuse("already a subscriber");
      continue;
    }
    const state = cell(stateAt) || "active";
    if (!IMPORTED_STATES.has(state)) {
      refuse(`state must be active, quarantined or unsubscribed, not "${state}"`);
      continue;
    }
    const names = cell(componentsAt)
      .split(";")
      .map((v) => v.trim())
      .filter((v) => v !== "");
    const resolved = names.length > 0 ? resolveComponents(names, all) : { ok: true as const, ids: null };
    if (!resolved.ok) {
      refuse(`component "${resolved.value}": ${resolved.why}`);
      continue;
    }
    taken.add(address);
    const subscriber: NewEmailSubscriber = {
      address,
      componentIds: resolved.ids,
      state: state as NewEmailSubscriber["state"],
      source: "import",
    };
    statements.push(...planNewSubscriber(ctx, subscriber, now).statements);
    report.accepted += 1;
  }
  if (report.accepted > 0) {
    await commitChange(ctx, {
      statements,
      // Counts only: an erase must find no address in the audit log.
      audit: {
        action: "subscriber.import",
        targetType: "subscriber",
        targetId: "import",
        details: { accepted: report.accepted, refused: report.refused.length },
      },
      jobs: [],
    });
  }
  return report;
}
