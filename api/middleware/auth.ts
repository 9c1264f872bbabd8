import type { MiddlewareHandler } from "hono";
import type { Actor } from "../../core/context.ts";
import { authenticate } from "../../core/tokens/authenticate.ts";
import type { Db } from "../../db/client.ts";
import { problem } from "../problem.ts";

export type AuthVariables = { actor: Actor };

/** Requires `Authorization: Bearer <token>` and puts the token's actor on the context. */
export function bearerAuth(db: Db): MiddlewareHandler<{ Variables: AuthVariables }> {
  return async (c, next) => {
    const header = c.req.header("Authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      return problem(
        c,
        "unauthorized",
        "Send an API token as `Authorization: Bearer <token>` (create one with `herald token create`).",
      );
    }
    const actor = await authenticate(db, match[1]);
    if (!actor) return problem(c, "unauthorized", "This API token is not valid or has been revoked.");
    c.set("actor", actor);
    await next();
  };
}
