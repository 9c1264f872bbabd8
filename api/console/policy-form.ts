import type { EscalationLevelInput } from "../../core/escalation/policy.ts";
import type { FormValues } from "./ui/form.tsx";

/**
 * The escalation policy editor's form (docs/team.md, Escalation) as the whole policy to store. Each level's
 * fields are named `l<i>_…` (a form sends one value per name): `_delay`, `_daytime`, `_team_email`,
 * `_team_webhooks` and `_person_<id>` for each person ticked. `levels` counts the stored rows; the row
 * after them is "add a level". One button, `_do`, says what else to do: `add`, `up:<i>`, `down:<i>`,
 * `remove:<i>` (or nothing: save). Core validates the levels; this only reads them.
 */
export type PolicyEdit = { levels: EscalationLevelInput[] };

/** The most rows a form may carry (the policy's own limit is lower; core says so). */
const MAX_ROWS = 50;

function levelOf(form: FormValues, i: number): EscalationLevelInput {
  const prefix = `l${i}_`;
  const delay = (form[`${prefix}delay`] ?? "").trim();
  return {
    // A blank or non-numeric delay goes on as NaN, so core names the field.
    delay_minutes: /^\d{1,6}$/.test(delay) ? Number(delay) : Number.NaN,
    person_ids: Object.keys(form)
      .filter((key) => key.startsWith(`${prefix}person_`) && form[key] === "on")
      .map((key) => key.slice(`${prefix}person_`.length)),
    team_channels: (["team_email", "team_webhooks"] as const).filter((c) => form[`${prefix}${c}`] === "on"),
    daytime_only: form[`${prefix}daytime`] === "on",
  };
}

/** Whether the "add a level" row was filled in at all (an untouched row is not a level). */
function touched(level: EscalationLevelInput): boolean {
  return level.person_ids.length > 0 || level.team_channels.length > 0;
}

export function policyFromForm(form: FormValues): PolicyEdit {
  const count = Math.min(MAX_ROWS, /^\d{1,3}$/.test(form.levels ?? "") ? Number(form.levels) : 0);
  const levels = Array.from({ length: count }, (_, i) => levelOf(form, i));
  const added = levelOf(form, count);
  const [verb = "", at = ""] = (form._do ?? "").split(":");
  const i = /^\d{1,3}$/.test(at) ? Number(at) : -1;
  if (verb === "add" || touched(added)) levels.push(added);
  if (verb === "remove" && i >= 0 && i < levels.length) levels.splice(i, 1);
  const swap = verb === "up" ? i - 1 : verb === "down" ? i + 1 : -1;
  if (swap >= 0 && swap < levels.length && i >= 0 && i < levels.length) {
    const moved = levels[i];
    const other = levels[swap];
    if (moved && other) {
      levels[i] = other;
      levels[swap] = moved;
    }
  }
  return { levels };
}
