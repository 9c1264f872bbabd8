import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { components, subscriberComponents, subscribers } from "../../../db/schema.ts";
import { defineAction, type Outcome } from "../../actions/define.ts";
import type { ComponentRow } from "../../model/rows.ts";
import { addressFor } from "../address-visibility.ts";
import { normalizeEmail } from "../email-address.ts";
import { type NewEmailSubscriber, planNewSubscriber } from "./add-subscriber.ts";
import { readCell } from "./csv.ts";
import { resolveComponents } from "./resolve-components.ts";
import type { SubscriberRow } from "./subscriber-view.ts";

export const importReportSchema = z.object({
  accepted: z.int(),
  refused: z
    .array(z.object({ line: z.int(), address: z.string(), reason: z.string() }))
    .describe("rows not imported, with their line in the file (the address as the caller's role may see it) and why"),
});

export type ImportReport = z.output<typeof importReportSchema>;

const importedState = z.enum(["active", "quarantined", "unsubscribed"]);

/** Where each column is in the file's rows (-1: the file has none). */
const columnsInput = z.object({ address: z.int(), components: z.int(), state: z.int(), channel: z.int() });
type Columns = z.output<typeof columnsInput>;

/**
 * One part of a CSV import (`importSubscribers` runs them one after another): its rows, planned against
 * the addresses subscribed now (earlier parts included, and anyone who subscribed meanwhile), written as
 * one audited change that names the import and the lines it covers, with counts only (an erase must find
 * no address in the audit log).
 */
export const importSubscriberBatch = defineAction({
  name: "subscriber.import_batch",
  role: "admin",
  doing: "import subscribers",
  input: z.object({
    import_id: z.string(),
    /** The index of the part's first data row in the file. */
    first: z.int().min(0),
    rows: z.array(z.array(z.string())),
    columns: columnsInput,
  }),
  async load(ctx, { rows, columns }) {
    const addresses = rows.flatMap((cells) => {
      const address = normalizeEmail(readCell(cells[columns.address] ?? ""));
      return address ? [address] : [];
    });
    const [all, existing] = await Promise.all([
      ctx.db.select().from(components),
      addresses.length === 0
        ? []
        : ctx.db
            .select({ address: subscribers.address })
            .from(subscribers)
            .where(and(eq(subscribers.channel, "email"), inArray(subscribers.address, addresses))),
    ]);
    return { db: ctx.db, all, taken: new Set(existing.map((row) => row.address)) };
  },
  plan({ db, all, taken }, { import_id, first, rows, columns }, { now, actor }): Outcome<ImportReport> {
    const report: ImportReport = { accepted: 0, refused: [] };
    const planned: SubscriberRow[] = [];
    const scopes: { subscriberId: string; componentId: string }[] = [];
    const inPart = new Set<string>();
    for (const [offset, cells] of rows.entries()) {
      const outcome = planRow(cells, columns, all, (address) => taken.has(address) || inPart.has(address));
      if (!outcome.ok) {
        const address = addressFor(actor.role, null, outcome.address);
        report.refused.push({ line: first + offset + 2, address, reason: outcome.reason });
        continue;
      }
      inPart.add(outcome.subscriber.address);
      const { row } = planNewSubscriber({ db }, outcome.subscriber, now.toISOString());
      planned.push(row);
      for (const componentId of outcome.subscriber.componentIds ?? [])
        scopes.push({ subscriberId: row.id, componentId });
    }
    if (planned.length === 0) return { changes: [], result: report };
    report.accepted = planned.length;
    const change = {
      statements: [
        db.insert(subscribers).values(planned),
        ...(scopes.length > 0 ? [db.insert(subscriberComponents).values(scopes)] : []),
      ],
      audit: {
        action: "subscriber.import",
        targetType: "subscriber",
        targetId: "import",
        details: {
          import_id,
          lines: [first + 2, first + rows.length + 1],
          accepted: planned.length,
          refused: report.refused.length,
        },
      },
      jobs: [],
    };
    return { changes: [change], result: report };
  },
});

type RowOutcome = { ok: true; subscriber: NewEmailSubscriber } | { ok: false; address: string; reason: string };

/** One CSV row as a subscriber to add, or why it is skipped. */
function planRow(cells: string[], at: Columns, all: ComponentRow[], isTaken: (address: string) => boolean): RowOutcome {
  const cell = (index: number) => (index < 0 ? "" : readCell(cells[index] ?? "").trim());
  const given = cell(at.address);
  const refuse = (reason: string): RowOutcome => ({ ok: false, address: given, reason });
  const channel = cell(at.channel) || "email";
  if (channel !== "email") return refuse("only email subscribers are imported; add webhooks through the API");
  const address = normalizeEmail(given);
  if (!address) return refuse("not an email address");
  if (isTaken(address)) return refuse("already a subscriber");
  const stateCell = cell(at.state) || "active";
  const state = importedState.safeParse(stateCell);
  if (!state.success) return refuse(`state must be active, quarantined or unsubscribed, not "${stateCell}"`);
  const names = cell(at.components)
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
