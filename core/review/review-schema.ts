/** The review's JSON as the API answers it (`Snake<Review>`), for the OpenAPI document and its tests. */
import { z } from "zod";
import { COMPONENT_STATUSES, IMPACTS } from "../../db/enums.ts";

const ids = z.array(z.string()).describe("the incidents behind the figure");
const minutes = z.number().describe("minutes, one decimal");
const counted = { count: z.int(), incident_ids: ids };
const incidentMinutes = z.strictObject({ incident_id: z.string(), name: z.string(), minutes });
const period = z.strictObject({ from: z.string(), to: z.string() });

const distribution = z.strictObject({
  count: z.int(),
  median: minutes.nullable(),
  p90: minutes.nullable(),
  worst: incidentMinutes.nullable(),
  histogram: z.array(
    z.strictObject({ from_minutes: z.number(), to_minutes: z.number().nullable(), count: z.int(), incident_ids: ids }),
  ),
  incident_ids: ids,
});

const figures = z.strictObject({
  incidents: z.strictObject({
    ...counted,
    by_impact: z.strictObject(Object.fromEntries(IMPACTS.map((i) => [i, z.strictObject(counted)]))),
  }),
  maintenances: z.strictObject({
    ...counted,
    overran: z.strictObject({ ...counted, minutes, items: z.array(incidentMinutes) }),
  }),
  first_post: distribution,
  promises: z.strictObject({
    due: z.int(),
    kept: z.int(),
    kept_percent: z.number().nullable(),
    late: z.array(
      z.strictObject({
        incident_id: z.string(),
        update_id: z.string().nullable(),
        promised_by: z.string(),
        answered_at: z.string().nullable(),
        minutes_late: minutes,
      }),
    ),
    incident_ids: ids,
  }),
  resolve: distribution,
  time_under_status: z.array(z.strictObject({ status: z.string(), minutes, incident_ids: ids })),
  uptime: z
    .strictObject({
      percent: z.number().nullable(),
      minutes: z.strictObject(Object.fromEntries(COMPONENT_STATUSES.map((s) => [s, minutes]))),
      incident_ids: ids,
    })
    .nullable(),
  alerts: z.strictObject({ ...counted, alert_ids: z.array(z.string()) }),
  drafts: z.strictObject({
    published: z.strictObject({ ...counted, draft_ids: z.array(z.string()) }),
    discarded: z.strictObject({ count: z.int(), draft_ids: z.array(z.string()) }),
  }),
  automated_changes: z.strictObject({ ...counted, component_ids: z.array(z.string()) }),
  escalations: z.strictObject({
    ...counted,
    by_level: z.array(z.strictObject({ level: z.int(), count: z.int(), incident_ids: ids })),
  }),
});

const incidentRef = z.strictObject({
  incident_id: z.string(),
  name: z.string(),
  started_at: z.string(),
  minutes,
  missed: z.int().optional(),
});

export const reviewSchema = z.strictObject({
  period,
  previous: period,
  filter: z.strictObject({ component_id: z.string().nullable(), commander_id: z.string().nullable() }),
  overall: figures,
  previous_overall: figures,
  by_component: z.array(
    z.strictObject({
      component_id: z.string(),
      name: z.string(),
      uptime_target: z.number().nullable(),
      target: z.strictObject({ target: z.number(), met: z.boolean(), by_points: z.number() }).nullable(),
      figures,
      previous: figures,
    }),
  ),
  by_commander: z.array(
    z.strictObject({ commander_id: z.string().nullable(), name: z.string(), figures, previous: figures }),
  ),
  worst: z.strictObject({ by_first_post: z.array(incidentRef), by_missed_promises: z.array(incidentRef) }),
  incidents: z.array(
    z.strictObject({
      incident_id: z.string(),
      kind: z.enum(["incident", "maintenance"]),
      name: z.string(),
      impact: z.enum(IMPACTS),
      started_at: z.string(),
      resolved_at: z.string().nullable(),
      commander_id: z.string().nullable(),
      component_ids: z.array(z.string()),
      first_post_minutes: minutes.nullable(),
      resolve_minutes: minutes.nullable(),
      promises_due: z.int(),
      promises_kept: z.int(),
      minutes_late: minutes,
      overrun_minutes: minutes.nullable(),
    }),
  ),
  generated_at: z.string(),
});
