import type { subscribers } from "../../db/schema.ts";
import { type EventContract, eventContract } from "./events.ts";

type Recipient = Pick<typeof subscribers.$inferSelect, "id" | "channel" | "format" | "state" | "team" | "source">;
type EventAddress = { kind: string; subscriberId: string | null };

/**
 * Who an event goes to, from its kind's contract alone (fan-out turns this into its query):
 * - `addressed`: the one recipient the event names (a personal event; the team address's reminder);
 * - `list`: every active subscriber of these formats whose scope takes it, only team destinations when `teamOnly`,
 *   only subscriptions naming the event's components (never whole-page ones) when `namedOnly`;
 * - `nobody`: an unknown kind (a newer Herald's), or a personal kind that names no one.
 */
export type Recipients =
  | { kind: "addressed"; subscriberId: string; teamOnly: boolean }
  | { kind: "list"; formats: string[]; teamOnly: boolean; namedOnly: boolean }
  | { kind: "nobody" };

export function recipientsOf(event: EventAddress): Recipients {
  const contract = eventContract(event.kind);
  if (!contract) return { kind: "nobody" };
  const teamOnly = contract.audience === "team";
  // A person's copy of a team kind (an admin's weekly review) is addressed to that person's row by its planner.
  if (event.subscriberId)
    return { kind: "addressed", subscriberId: event.subscriberId, teamOnly: teamOnly && !contract.addressesPeople };
  if (contract.audience === "personal") return { kind: "nobody" };
  return { kind: "list", formats: listFormats(contract), teamOnly, namedOnly: contract.namedOnly === true };
}

/**
 * The formats a listed event goes to. A team event's mail goes to the team address by an event addressed
 * to it (the address is a page setting, not a list), so listed, it reaches the team's webhooks only.
 */
function listFormats(contract: EventContract): string[] {
  const webhooks: string[] = [...contract.channels.webhook];
  if (contract.audience === "team" || !contract.channels.email) return webhooks;
  return ["email", ...webhooks];
}

/**
 * Whether a recipient may be a team destination at all: a webhook made on the public subscribe form never
 * is, whatever its row says (anyone can post that form). jobs/notify/fan-out.ts has this rule's SQL twin.
 */
export function canBeTeam(source: Recipient["source"], channel: Recipient["channel"]): boolean {
  return !(channel === "webhook" && source === "form");
}

/** A team destination: the team address's row or a webhook an admin marked as the team's own. */
export function isTeamDestination(recipient: Pick<Recipient, "team" | "channel" | "source">): boolean {
  return recipient.team && canBeTeam(recipient.source, recipient.channel);
}

/**
 * The sender's second look, right before sending: `send`; `left` (a subscriber who is no longer active,
 * owed nothing); or `refused`, a delivery the contract forbids (a team event to a subscriber), never sent.
 */
export type Verdict = "send" | "left" | "refused";

export function deliveryVerdict(event: EventAddress, recipient: Recipient): Verdict {
  const recipients = recipientsOf(event);
  if (recipients.kind === "nobody") return "refused";
  if (recipients.teamOnly && !isTeamDestination(recipient)) return "refused";
  if (recipients.kind === "addressed") return recipients.subscriberId === recipient.id ? "send" : "refused";
  if (!recipients.formats.includes(recipient.format)) return "refused";
  return recipient.state === "active" ? "send" : "left";
}
