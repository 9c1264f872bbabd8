import type { subscribers } from "../../../db/schema.ts";
import type { Role } from "../../actions/context.ts";
import { addressFor } from "../address-visibility.ts";

export type SubscriberRow = typeof subscribers.$inferSelect;

/** A subscriber as the admin API shows it (never its webhook secret; its address, email or URL, in full only to an admin). */
export type AdminSubscriber = {
  id: string;
  channel: SubscriberRow["channel"];
  address: string;
  format: SubscriberRow["format"];
  state: SubscriberRow["state"];
  all_components: boolean;
  component_ids: string[];
  /** A team destination (the team address, a webhook marked the team's own): it also gets team events. */
  team: boolean;
  source: SubscriberRow["source"];
  hard_failures: number;
  created_at: string;
  confirmed_at: string | null;
  quarantined_at: string | null;
  unsubscribed_at: string | null;
};

export function adminSubscriber(row: SubscriberRow, componentIds: string[], role: Role): AdminSubscriber {
  return {
    id: row.id,
    channel: row.channel,
    address: addressFor(role, row.channel, row.address),
    format: row.format,
    state: row.state,
    all_components: row.allComponents,
    component_ids: [...componentIds].sort(),
    team: row.team,
    source: row.source,
    hard_failures: row.hardFailures,
    created_at: row.createdAt,
    confirmed_at: row.confirmedAt,
    quarantined_at: row.quarantinedAt,
    unsubscribed_at: row.unsubscribedAt,
  };
}
