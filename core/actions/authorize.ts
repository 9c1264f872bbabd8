import type { ActionContext, Role } from "./context.ts";
import { forbidden } from "./errors.ts";

const RANK: Record<Role, number> = { viewer: 0, commander: 1, admin: 2 };

/** Throws unless the acting token's role is at least `role`. */
export function requireRole(ctx: ActionContext, role: Role, doing: string): void {
  if (RANK[ctx.actor.role] < RANK[role]) {
    throw forbidden(`A ${ctx.actor.role} token cannot ${doing}; it needs the ${role} role.`);
  }
}
