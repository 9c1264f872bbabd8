import { createToken, createTokenInput } from "../../core/tokens/create-token.ts";
import { listTokens } from "../../core/tokens/list-tokens.ts";
import { revokeToken } from "../../core/tokens/revoke-token.ts";
import type { AdminRoute } from "../admin-route.ts";

export const tokenRoutes: AdminRoute[] = [
  {
    method: "get",
    path: "/api/tokens",
    summary: "List API tokens (never their secrets)",
    role: "admin",
    tag: "tokens",
    responseDescription:
      "every token, oldest first: id, name, role, created_at, last_used_at (to the minute), revoked_at, from_environment",
    handle: async (ctx) => ({ status: 200, body: await listTokens(ctx) }),
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
  {
    method: "delete",
    path: "/api/tokens/{id}",
    summary: "Revoke an API token at once",
    role: "admin",
    tag: "tokens",
    responseDescription: "revoked: the token's next request is a 401",
    handle: async (ctx, { params }) => {
      await revokeToken(ctx, params.id ?? "");
      return { status: 204 };
    },
  },
];
