/** @jsxImportSource hono/jsx */
import type { DraftAlert } from "../../../core/alerts/drafts/schemas.ts";
import { Time } from "./time.tsx";

/** The alerts beside a draft: what fired, how bad, since when, and the labels a rule matched on. */
export function DraftAlertList(props: { alerts: DraftAlert[] }) {
  if (props.alerts.length === 0) return <p class="meta">No alerts attached.</p>;
  return (
    <ul class="alerts">
      {props.alerts.map((a) => (
        <li class={a.status}>
          <strong dir="auto">{a.summary || a.fingerprint}</strong>
          {a.severity && <span class="pill">{a.severity}</span>}
          <div class="meta">
            {a.status === "firing" && a.since ? (
              <>
                Firing since <Time at={a.since} />
              </>
            ) : a.resolved_at ? (
              <>
                Resolved <Time at={a.resolved_at} />
              </>
            ) : (
              a.status
            )}
            {` · ${a.source_id}`}
          </div>
          {Object.keys(a.labels).length > 0 && (
            <div class="labels">
              {Object.entries(a.labels).map(([name, value]) => (
                <code>{`${name}="${value}"`}</code>
              ))}
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
