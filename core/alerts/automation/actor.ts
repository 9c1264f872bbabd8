import type { Actor } from "../../actions/context.ts";

/** Who the audit log names for what the alert automation does (component moves, drafts, auto-publishing). */
export const AUTOMATION_ACTOR: Actor = { id: "automation", name: "alert automation", role: "admin" };
