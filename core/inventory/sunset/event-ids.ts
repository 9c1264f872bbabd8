/**
 * The ids of a retirement's events, derived from the component, the kind and the sunset date: two
 * ticks (or two processes) planning the same reminder or sunset write each event once.
 */
export function sunsetEventId(
  kind: "deprecated" | "reminder" | "sunset",
  component: { id: string; sunsetAt: string | null },
): string {
  const due = new Date(component.sunsetAt ?? 0).getTime().toString(36);
  return `c${kind.charAt(0)}-${component.id}-${due}`;
}

/** The last mail of a subscription that named only the sunset component (one per such subscriber). */
export function subscriptionEndedEventId(component: { id: string; sunsetAt: string | null }, subscriberId: string) {
  return `${sunsetEventId("sunset", component)}-${subscriberId}`;
}
