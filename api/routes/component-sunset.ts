import { z } from "zod";
import { deprecateComponent } from "../../core/inventory/sunset/deprecate.ts";
import { sunsetComponent } from "../../core/inventory/sunset/sunset-now.ts";
import { undeprecateComponent } from "../../core/inventory/sunset/undeprecate.ts";
import { COMPONENT_STAGES } from "../../db/enums.ts";
import type { AdminRoute } from "../admin-route.ts";
import { operationRoute } from "../operation-route.ts";

const tag = "components";

/** A component's retirement as the three routes answer it. */
const retiringComponent = z.object({
  id: z.string(),
  name: z.string(),
  stage: z.enum(COMPONENT_STAGES),
  sunset_at: z.iso.datetime({ offset: true }).nullable(),
  deprecation_message: z.string().nullable(),
  deprecated_at: z.iso.datetime({ offset: true }).nullable(),
});

export const deprecateComponentRoute = operationRoute(deprecateComponent, {
  method: "post",
  path: "/api/components/{id}/deprecate",
  summary: "Deprecate a component: a notice on the page, its subscribers told, sunset on the date",
  tag,
  status: 200,
  response: retiringComponent,
  respond: (component) => component,
  responseDescription: "the component, now deprecated",
});

export const undeprecateComponentRoute = operationRoute(undeprecateComponent, {
  method: "post",
  path: "/api/components/{id}/undeprecate",
  from: "path",
  summary: "Take a deprecation back: the component returns to production (nobody is mailed)",
  tag,
  status: 200,
  response: retiringComponent,
  respond: (component) => component,
  responseDescription: "the component, back in production",
});

export const sunsetComponentRoute = operationRoute(sunsetComponent, {
  method: "post",
  path: "/api/components/{id}/sunset",
  from: "path",
  summary: "Sunset a deprecated component now: it leaves the page, its history stays",
  tag,
  status: 200,
  response: retiringComponent,
  respond: (component) => component,
  responseDescription: "the component, now sunset",
});

export const componentSunsetRoutes: AdminRoute[] = [
  deprecateComponentRoute,
  undeprecateComponentRoute,
  sunsetComponentRoute,
];
