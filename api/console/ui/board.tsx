/** @jsxImportSource hono/jsx */

import type { ConsoleSession } from "../../../core/console/sessions.ts";
import type { ComponentRow } from "../../../core/model/rows.ts";
import { COMPONENT_STATUSES } from "../../../core/model/statuses.ts";
import { componentLook } from "../../../core/presentation/status.ts";
import { effectiveStatus, orderComponents } from "../../../core/public/statuspage.ts";
import { PostForm } from "./form.tsx";
import { Icon } from "./icons.tsx";
import { COMPONENT_STATUS_SHORT, ComponentStatusBadge, toneIcon } from "./status.tsx";

/** One click sets a component's status: each status is a submit button of the component's form. */
function StatusButtons(props: { component: ComponentRow; csrf: string; back: string }) {
  const current = props.component.status;
  return (
    <PostForm action={`/admin/components/${props.component.id}/status`} csrf={props.csrf}>
      <input type="hidden" name="back" value={props.back} />
      <fieldset class="seg">
        <legend class="sr-only">{`Status of ${props.component.name}`}</legend>
        {COMPONENT_STATUSES.map((status) => {
          const { tone } = componentLook(status);
          const icon = toneIcon(tone);
          return (
            <button
              type="submit"
              name="status"
              value={status}
              aria-pressed={status === current ? "true" : "false"}
              title={componentLook(status).label}
            >
              <span class={`status s-${tone}`}>
                <Icon name={icon} size={14} />
              </span>
              <span class="word">{COMPONENT_STATUS_SHORT[status]}</span>
            </button>
          );
        })}
      </fieldset>
    </PostForm>
  );
}

export function ComponentBoard(props: { components: ComponentRow[]; session: ConsoleSession; back: string }) {
  const canChange = props.session.actor.role !== "viewer";
  if (props.components.length === 0) {
    return canChange ? (
      <p class="empty">
        No components yet. <a href="/admin/components">Add the first one</a>.
      </p>
    ) : (
      <p class="empty">No components yet.</p>
    );
  }
  return (
    <ul class="board">
      {orderComponents(props.components).map((row) => (
        <li class={row.isGroup ? "group-row" : row.groupId ? "child" : undefined}>
          <span class="name">{row.name}</span>
          {row.isGroup || !canChange ? (
            <ComponentStatusBadge status={effectiveStatus(row, props.components)} />
          ) : (
            <StatusButtons component={row} csrf={props.session.csrfToken} back={props.back} />
          )}
        </li>
      ))}
    </ul>
  );
}
