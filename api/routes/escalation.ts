import { acknowledgePromise } from "../../core/escalation/acknowledge.ts";
import { handOverIncident } from "../../core/escalation/hand-over.ts";
import {
  escalationPolicyQuery,
  escalationPolicySchema,
  replaceEscalationPolicy,
} from "../../core/escalation/policy.ts";
import { adminIncidentSchema } from "../../core/incidents/admin-incident.ts";
import type { AdminRoute } from "../admin-route.ts";
import { operationRoute } from "../operation-route.ts";

const tag = "escalation";

export const handOverRoute = operationRoute(handOverIncident, {
  method: "post",
  path: "/api/incidents/{id}/commander",
  summary: "Hand an open incident over to another Incident Commander (audited)",
  tag,
  status: 200,
  response: adminIncidentSchema,
  respond: (incident) => incident,
  responseDescription: "the incident with its new commander_id",
});

export const acknowledgeRoute = operationRoute(acknowledgePromise, {
  method: "post",
  path: "/api/incidents/{id}/acknowledge",
  summary:
    'Acknowledge a lapsed promise: "posting in N minutes" moves the page\'s next update time and stops its escalation (audited)',
  tag,
  status: 200,
  response: adminIncidentSchema,
  respond: (incident) => incident,
  responseDescription: "the incident with its new next_update_at",
});

export const getEscalationPolicyRoute = operationRoute(escalationPolicyQuery, {
  method: "get",
  path: "/api/escalation-policy",
  summary: "The escalation policy: the levels told after the commander when a promise lapses",
  tag,
  status: 200,
  response: escalationPolicySchema,
  respond: (policy) => policy,
  responseDescription: "the levels in order; none: lapsed promises remind the team address as without a policy",
});

export const replaceEscalationPolicyRoute = operationRoute(replaceEscalationPolicy, {
  method: "put",
  path: "/api/escalation-policy",
  summary: "Replace the escalation policy (admin; an empty list removes it)",
  tag,
  status: 200,
  response: escalationPolicySchema,
  respond: (policy) => policy,
  responseDescription: "the policy as stored, positions from 1",
});

export const escalationRoutes: AdminRoute[] = [
  handOverRoute,
  acknowledgeRoute,
  getEscalationPolicyRoute,
  replaceEscalationPolicyRoute,
];
