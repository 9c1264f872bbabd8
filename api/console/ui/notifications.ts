import { eventContract } from "../../../core/notifications/events.ts";

const AUDIENCES = { team: "the team", personal: "one subscriber", public: "subscribers" } as const;

/** What each notification told, in the commander's words (the event contract's description). */
export function notificationLabel(kind: string): string {
  return eventContract(kind)?.description ?? kind;
}

/** Who an event goes to: the team (overdue reminders), one person, or the matching subscribers. */
export function audienceOf(kind: string): string {
  const contract = eventContract(kind);
  return contract ? AUDIENCES[contract.audience] : "subscribers";
}
