import { z } from "zod";
import { ALERT_SEVERITIES, ALERT_STATUSES } from "../../db/enums.ts";

/**
 * One alert as every source's parser hands it to the intake (core/alerts/sources/): Alertmanager's, Grafana's,
 * PagerDuty's, the generic format's, a heartbeat's and a mail's all become this, so rules and the automation
 * see one shape. `fingerprint` is unique per alert within its source (Alertmanager's fingerprint, PagerDuty's
 * incident id, a heartbeat's name); labels are what rules match.
 */
export const incomingAlert = z
  .object({
    fingerprint: z.string().min(1).max(200),
    status: z.enum(ALERT_STATUSES),
    severity: z.enum(ALERT_SEVERITIES).nullable(),
    summary: z.string().max(500),
    labels: z.record(z.string(), z.string()),
    annotations: z.record(z.string(), z.string()),
    url: z.string().max(2000).nullable(),
    /** When the sender says it began (ISO 8601); null when it does not say. */
    startsAt: z.string().nullable(),
  })
  .strict();

export type IncomingAlert = z.output<typeof incomingAlert>;
