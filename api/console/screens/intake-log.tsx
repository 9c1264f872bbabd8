/** @jsxImportSource hono/jsx */
import type { AlertLogPage } from "../../../core/alerts/sources/alert-log.ts";
import type { AlertSourceView } from "../../../core/alerts/sources/schemas.ts";
import { ALERT_LOG_KINDS } from "../../../db/enums.ts";
import { Icon, type IconName } from "../ui/icons.tsx";
import { Time } from "../ui/time.tsx";

export type IntakeLogFilters = { source?: string | undefined; kind?: string | undefined; before?: string | undefined };

/** How each log line reads at a glance: an icon and its tone. */
const LINE_TONE: Record<AlertLogPage["lines"][number]["kind"], [IconName, string]> = {
  received: ["checkCircle", "s-ok"],
  refused: ["xCircle", "s-major"],
  duplicate: ["circle", "s-neutral"],
  moved: ["alert", "s-minor"],
  restored: ["checkCircle", "s-ok"],
  skipped: ["circle", "s-neutral"],
  draft: ["file", "s-info"],
  heartbeat: ["clock", "s-minor"],
};

/** The intake log: every delivery and what was done with it, newest first, filtered by source and kind. */
export function IntakeLog(props: { log: AlertLogPage; sources: AlertSourceView[]; filters: IntakeLogFilters }) {
  const { log, filters } = props;
  const query = (before: string) =>
    new URLSearchParams({
      ...(filters.source ? { source: filters.source } : {}),
      ...(filters.kind ? { kind: filters.kind } : {}),
      before,
    }).toString();
  return (
    <section class="card gap-top" aria-labelledby="log-h">
      <div class="card-h">
        <h2 id="log-h">Intake log</h2>
        <p>Every delivery and what was done with it, kept 30 days</p>
      </div>
      <div class="card-b">
        <form method="get" action="/admin/alerts" class="filters" aria-label="Filter the intake log">
          <div class="field">
            <label for="log-source">From</label>
            <select id="log-source" name="source">
              <option value="">All sources</option>
              {props.sources.map((s) => (
                <option value={s.id} selected={filters.source === s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="log-kind">Lines</label>
            <select id="log-kind" name="kind">
              <option value="">Every kind</option>
              {ALERT_LOG_KINDS.map((kind) => (
                <option value={kind} selected={filters.kind === kind}>
                  {kind}
                </option>
              ))}
            </select>
          </div>
          <button class="btn" type="submit">
            Show
          </button>
        </form>
      </div>
      {log.lines.length === 0 ? (
        <p class="empty">Nothing received yet.</p>
      ) : (
        <section class="table-wrap" tabindex={0} aria-label="Intake log lines">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Source</th>
                <th scope="col">What</th>
                <th scope="col">Answer</th>
              </tr>
            </thead>
            <tbody>
              {log.lines.map((line) => {
                const [icon, tone] = LINE_TONE[line.kind];
                return (
                  <tr>
                    <td class="meta">
                      <Time at={line.at} />
                    </td>
                    <td>
                      {line.source_id ?? <span class="meta">{`unknown (${String(line.details.source ?? "")})`}</span>}
                    </td>
                    <td>
                      <span class={`status ${tone}`}>
                        <Icon name={icon} />
                        {line.kind}
                      </span>{" "}
                      {line.summary}
                      {line.idempotency_key && <div class="meta">{`key ${line.idempotency_key}`}</div>}
                    </td>
                    <td class="meta">{line.http_status ?? "—"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
      {log.next_before && (
        <div class="card-b">
          <a class="btn" href={`/admin/alerts?${query(log.next_before)}`}>
            Older
          </a>
        </div>
      )}
    </section>
  );
}
