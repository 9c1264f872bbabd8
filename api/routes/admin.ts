import { listAudit } from "../../core/list-audit.ts";
import { createToken, createTokenInput } from "../../core/tokens/create-token.ts";
import type { AdminRoute } from "../admin-route.ts";
import { intParamWithDefault, parseQuery, timeParam } from "../query.ts";

const auditQuery = {
  limit: intParamWithDefault("1-500 (default 100)", { min: 1, max: 500, default: 100 }),
  before: timeParam("ISO time: entries before it"),
};

export const adminRoutes: AdminRoute[] = [
  {
    method: "get",
    path: "/api/audit",
    summary: "Read the audit log",
    role: "viewer",
    tag: "audit",
    query: auditQuery,
    responseDescription: "audit entries newest first",
    handle: async (ctx, { query }) => {
      const { limit, before } = parseQuery(auditQuery, query);
      return { status: 200, body: await listAudit(ctx.db, { limit, before }) };
    },
  },
  {
    method: "post",
    path: "/api/tokens",
    summary: "Create an API token (the secret is shown once)",
    role: "admin",
    tag: "tokens",
    body: createTokenInput,
    responseDescription: "the token with its secret",
    handle: async (ctx, { body }) => ({ status: 201, body: await createToken(ctx, body) }),
  },
];
