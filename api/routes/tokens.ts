import { z } from "zod";
import { createdTokenSchema, createToken } from "../../core/tokens/create-token.ts";
import { listTokens, tokenSummarySchema } from "../../core/tokens/list-tokens.ts";
import { reownToken } from "../../core/tokens/reown-token.ts";
import { revokeToken } from "../../core/tokens/revoke-token.ts";
import type { AdminRoute } from "../admin-route.ts";
import { operationRoute } from "../operation-route.ts";

const tag = "tokens";

export const listTokensRoute = operationRoute(listTokens, {
  method: "get",
  path: "/api/tokens",
  summary: "List API tokens (never their secrets)",
  tag,
  status: 200,
  response: z.array(tokenSummarySchema),
  respond: (tokens) => tokens,
  responseDescription:
    "every token, oldest first: id, name, role, created_at, last_used_at (to the minute), revoked_at, from_environment, its owner",
});

export const createTokenRoute = operationRoute(createToken, {
  method: "post",
  path: "/api/tokens",
  summary: "Create an API token (the secret is shown once)",
  tag,
  status: 201,
  response: createdTokenSchema,
  respond: (token) => token,
  responseDescription: "the token with its secret",
});

export const revokeTokenRoute = operationRoute(revokeToken, {
  method: "delete",
  path: "/api/tokens/{id}",
  summary: "Revoke an API token at once",
  tag,
  status: 204,
  responseDescription: "revoked: the token's next request is a 401",
});

export const reownTokenRoute = operationRoute(reownToken, {
  method: "patch",
  path: "/api/tokens/{id}",
  summary: "Give an API token another owner (a person of the team, or null: a named integration)",
  tag,
  status: 200,
  response: tokenSummarySchema,
  respond: (token) => token,
  responseDescription: "the token with its new owner",
});

export const tokenRoutes: AdminRoute[] = [listTokensRoute, createTokenRoute, revokeTokenRoute, reownTokenRoute];
