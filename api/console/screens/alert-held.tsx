/** @jsxImportSource hono/jsx */
import type { AutomatedComponents } from "../../../core/alerts/automation/list-automated.ts";
import { componentLook } from "../../../core/presentation/status.ts";
import { ComponentStatusBadge } from "../ui/status.tsx";
import { Time } from "../ui/time.tsx";

/** What the alerts hold now (at which status, back to what) and what the automation left alone today. */
export function HeldCard(props: { automated: AutomatedComponents }) {
  const { held, skipped } = props.automated;
  return (
    <section class="card gap-top" aria-labelledby="held-h">
      <div class="card-h">
        <h2 id="held-h">What the alerts hold now</h2>
        <p>{`${held.length} component(s)`}</p>
      </div>
      {held.length === 0 && skipped.length === 0 ? (
        <p class="empty">No component is held by an alert, and nothing was left alone today.</p>
      ) : (
        <ul class="list">
          {held.map((h) => (
            <li>
              <div class="row">
                <div class="grow">
                  <strong>{h.name}</strong>
                  <div class="meta">
                    {`held by ${h.alert_ids.length} alert(s) since `}
                    <Time at={h.since} />
                    {`; back to ${componentLook(h.restore_status).label.toLowerCase()} when they resolve`}
                  </div>
                </div>
                <ComponentStatusBadge status={h.status} />
              </div>
            </li>
          ))}
          {skipped.map((s) => (
            <li>
              <div class="meta">
                <Time at={s.at} />
                {` · left alone: ${s.summary}`}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
