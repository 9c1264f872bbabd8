import { inArray } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { components } from "../../../db/schema.ts";
import type { ComponentRow } from "../../model/rows.ts";
import { renderMarkdown } from "../../text/markdown.ts";

export const COMPONENT_KINDS = ["component.deprecated", "component.sunset_reminder", "component.sunset"] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

/** The notices of a component's retirement (docs/inventory.md, Sunsetting), which name a component, not an incident. */
export function isComponentKind(kind: string): kind is ComponentKind {
  return (COMPONENT_KINDS as readonly string[]).includes(kind);
}

/** What every channel of a retirement notice says, read once per event. */
export type ComponentNoticeFacts = {
  component: ComponentRow;
  /** The deprecation message as the page shows it (sanitized HTML), empty when there is none. */
  messageHtml: string;
  /** The last mail of a subscription that named only this component (an event addressed to its subscriber). */
  subscriptionEnded: boolean;
};

/**
 * The component an event is about: its first id that is not a group (the event names the component and
 * its group, see `componentsOfEvent`; a group is never deprecated). Null when it no longer exists.
 */
export async function componentNoticeFacts(
  db: Db,
  event: { componentIds: string[]; subscriberId: string | null },
): Promise<ComponentNoticeFacts | null> {
  if (event.componentIds.length === 0) return null;
  const rows = await db.select().from(components).where(inArray(components.id, event.componentIds));
  const component = rows.find((row) => !row.isGroup);
  if (!component) return null;
  return {
    component,
    messageHtml: component.deprecationMessage ? renderMarkdown(component.deprecationMessage) : "",
    subscriptionEnded: event.subscriberId !== null,
  };
}
