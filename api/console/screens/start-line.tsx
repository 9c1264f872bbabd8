/** @jsxImportSource hono/jsx */

import { isClosingStatus } from "../../../core/model/statuses.ts";
import type { IncidentView } from "../../../core/public/site-views.ts";
import { Time } from "../ui/time.tsx";

/** When an incident began, or when a maintenance will begin (or began). */
export function StartLine(props: { view: IncidentView }) {
  const { view } = props;
  if (view.kind === "maintenance" && !hasBegun(view)) {
    if (isClosingStatus(view.status) || !view.scheduledFor) return null;
    return (
      <>
        <dt>Starts</dt>
        <dd>
          <Time at={view.scheduledFor} />
        </dd>
      </>
    );
  }
  return (
    <>
      <dt>Started</dt>
      <dd>
        <Time at={view.kind === "maintenance" ? (beganAt(view) ?? view.startedAt) : view.startedAt} />
      </dd>
    </>
  );
}

/** When a maintenance's work began: its first update past "scheduled" (updates are newest first). */
function beganAt(view: IncidentView): string | undefined {
  return view.updates.findLast((u) => u.status === "in_progress" || u.status === "verifying")?.displayAt;
}

function hasBegun(view: IncidentView): boolean {
  return beganAt(view) !== undefined;
}
