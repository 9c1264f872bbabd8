/** @jsxImportSource hono/jsx */

import type { EscalationLevelInput } from "../../../core/escalation/policy.ts";
import { errorsFor, Field, PostForm, type Refusal } from "../ui/form.tsx";

type Person = { id: string; name: string };

export type EscalationPolicyProps = {
  csrf: string;
  admin: boolean;
  /** The stored levels, or the admin's refused edit shown again. */
  levels: readonly EscalationLevelInput[];
  people: readonly Person[];
  refusal?: Refusal | undefined;
};

const CHANNELS = [
  ["team_email", "The team address"],
  ["team_webhooks", "The team's chat (team webhooks)"],
] as const;

/** "after 10 min · Ann, Bob · the team's chat · daytime only": a level in one line, for those who only read. */
function levelLine(level: EscalationLevelInput, people: readonly Person[]): string {
  const names = level.person_ids.map((id) => people.find((p) => p.id === id)?.name ?? "a former member");
  const channels = level.team_channels.map((c) => (c === "team_email" ? "the team address" : "the team's chat"));
  return [
    `after ${level.delay_minutes} min`,
    [...names, ...channels].join(", ") || "nobody",
    level.daytime_only ? "daytime only (08:00–20:00)" : "",
  ]
    .filter(Boolean)
    .join(" · ");
}

function LevelFields(props: {
  index: number;
  level: EscalationLevelInput | undefined;
  people: readonly Person[];
  refusal?: Refusal | undefined;
}) {
  const { index: i, level } = props;
  const errors = errorsFor(props.refusal, `levels.${i}`);
  return (
    <>
      <Field id={`l${i}-delay`} label="Minutes after the previous level" errors={errors}>
        {(aria) => (
          <input
            {...aria}
            class="minutes"
            type="number"
            min="1"
            max="1440"
            name={`l${i}_delay`}
            value={level && Number.isFinite(level.delay_minutes) ? String(level.delay_minutes) : "10"}
          />
        )}
      </Field>
      <fieldset class="choices">
        <legend>Who is told</legend>
        {props.people.map((p) => (
          <label class="check">
            <input type="checkbox" name={`l${i}_person_${p.id}`} checked={level?.person_ids.includes(p.id) ?? false} />
            {p.name}
          </label>
        ))}
        {CHANNELS.map(([channel, label]) => (
          <label class="check">
            <input
              type="checkbox"
              name={`l${i}_${channel}`}
              checked={level?.team_channels.includes(channel) ?? false}
            />
            {label}
          </label>
        ))}
      </fieldset>
      <label class="check">
        <input type="checkbox" name={`l${i}_daytime`} checked={level?.daytime_only ?? false} />
        Daytime only (08:00–20:00 in the page's time zone); at night the next level is told instead
      </label>
    </>
  );
}

/** The escalation policy: read by everyone, edited by an admin (add, remove, reorder, save). */
export function EscalationPolicySection(props: EscalationPolicyProps) {
  const { levels, people } = props;
  return (
    <section class="card" aria-labelledby="escalation-h" id="escalation">
      <div class="card-h">
        <h2 id="escalation-h">Escalation policy</h2>
        <p>When a promised update is late: the incident's commander first, then each level in turn</p>
      </div>
      {!props.admin ? (
        levels.length === 0 ? (
          <p class="card-b">No policy: a late update reminds the team address and the team's chat.</p>
        ) : (
          <ol class="list">
            {levels.map((level, i) => (
              <li>
                <strong>{`Level ${i + 1}`}</strong> <span class="meta">{levelLine(level, people)}</span>
              </li>
            ))}
          </ol>
        )
      ) : (
        <div class="card-b">
          <PostForm action="/admin/team/escalation" csrf={props.csrf} label="Escalation policy">
            {/* Enter in a field submits the first button: make it Save, not a level's Move up. */}
            <button class="sr-only" type="submit" name="_do" value="save" tabindex={-1}>
              Save policy
            </button>
            <input type="hidden" name="levels" value={String(levels.length)} />
            {levels.length === 0 && (
              <p class="meta">No levels yet: a late update reminds the team address and the team's chat.</p>
            )}
            {levels.map((level, i) => (
              <fieldset>
                <legend>{`Level ${i + 1}`}</legend>
                <LevelFields index={i} level={level} people={people} refusal={props.refusal} />
                <div class="actions">
                  {i > 0 && (
                    <button class="btn btn-small" type="submit" name="_do" value={`up:${i}`}>
                      {`Move level ${i + 1} up`}
                    </button>
                  )}
                  {i < levels.length - 1 && (
                    <button class="btn btn-small" type="submit" name="_do" value={`down:${i}`}>
                      {`Move level ${i + 1} down`}
                    </button>
                  )}
                  <button class="btn btn-small btn-danger" type="submit" name="_do" value={`remove:${i}`}>
                    {`Remove level ${i + 1}`}
                  </button>
                </div>
              </fieldset>
            ))}
            <details open={levels.length === 0 || errorsFor(props.refusal, `levels.${levels.length}`).length > 0}>
              <summary>Add a level</summary>
              <fieldset>
                <legend>{`Level ${levels.length + 1} (new)`}</legend>
                <LevelFields index={levels.length} level={undefined} people={people} refusal={props.refusal} />
                <div class="actions">
                  <button class="btn btn-small" type="submit" name="_do" value="add">
                    Add this level
                  </button>
                </div>
              </fieldset>
            </details>
            <div class="actions">
              <button class="btn btn-primary" type="submit" name="_do" value="save">
                Save policy
              </button>
            </div>
          </PostForm>
        </div>
      )}
    </section>
  );
}
