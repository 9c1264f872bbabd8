import { type ActionContext, PUBLIC_ACTOR, type Role } from "./context.ts";
import { forbidden } from "./errors.ts";

/**
 * Who may run an operation: a token of this role or a more powerful one, or `public`: anyone, without a
 * token (the subscribe form; a signed link in a subscriber's own mail is its authority). `automation` is
 * beside the ladder: an alert source's own token runs the intake and nothing else, and only it runs the intake.
 */
export type Access = Role | "public";

const RANK: Record<Access, number> = { public: -1, automation: -1, viewer: 0, commander: 1, admin: 2 };

/** Throws unless the acting token's role is at least `role`; without a token, only `public` operations run. */
export function requireRole(ctx: ActionContext, role: Access, doing: string): void {
  if (ctx.actor.id === PUBLIC_ACTOR.id && role !== "public") {
    throw forbidden(`Without a token you cannot ${doing}; it needs the ${role} role.`);
  }
  if (role === "automation") {
    if (ctx.actor.role !== "automation") throw forbidden(`Only an alert source's own token can ${doing}.`);
    return;
  }
  if (RANK[ctx.actor.role] < RANK[role]) {
    throw forbidden(`A ${ctx.actor.role} token cannot ${doing}; it needs the ${role} role.`);
  }
}
