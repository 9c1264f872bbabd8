/** @jsxImportSource hono/jsx */
import { consoleDraftPath } from "../../../core/alerts/drafts/console-path.ts";
import type { DraftView } from "../../../core/alerts/drafts/schemas.ts";
import type { ComponentRow } from "../../../core/model/rows.ts";
import { DraftAlertList } from "../ui/draft-alerts.tsx";
import { Icon } from "../ui/icons.tsx";
import { ComponentStatusBadge } from "../ui/status.tsx";
import { Time } from "../ui/time.tsx";

/**
 * The dashboard's first card while alerts have drafted incidents: each waiting draft with its firing alerts
 * beside it and the way to review and publish it. Nothing of it is on the page until a person publishes.
 */
export function WaitingDraftsCard(props: { drafts: DraftView[]; components: ComponentRow[]; canPublish: boolean }) {
  if (props.drafts.length === 0) return null;
  const names = new Map(props.components.map((c) => [c.id, c.name]));
  const count = props.drafts.length;
  return (
    <section class="card waiting" aria-labelledby="drafts-h">
      <div class="card-h">
        <h2 id="drafts-h">
          {count === 1 ? "A draft incident waits for you" : `${count} draft incidents wait for you`}
        </h2>
        <p>From alerts · not published yet</p>
      </div>
      <ul class="list drafts">
        {props.drafts.map((d) => (
          <li>
            <div>
              <a class="title-link" href={consoleDraftPath(d.id)}>
                {d.name}
              </a>
              <div class="meta">
                Drafted <Time at={d.created_at} />
                {d.rule_name && ` by the rule “${d.rule_name}”`}
                {d.auto_publish_at && (
                  <>
                    {" · publishes by itself "}
                    <Time at={d.auto_publish_at} />
                  </>
                )}
              </div>
              <div class="row gap-top">
                {Object.entries(d.components).map(([id, status]) => (
                  <span class="pill">
                    {names.get(id) ?? id} <ComponentStatusBadge status={status} />
                  </span>
                ))}
              </div>
              <div class="actions gap-top">
                <a class="btn btn-primary" href={consoleDraftPath(d.id)}>
                  <Icon name="flame" /> {props.canPublish ? "Review and publish" : "Review"}
                </a>
              </div>
            </div>
            <div>
              <p
                class="meta"
                id={`draft-${d.id}-alerts`}
              >{`Firing alerts (${d.alerts.filter((a) => a.status === "firing").length})`}</p>
              <DraftAlertList alerts={d.alerts} />
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
