import { z } from "zod";
import { PERSON_TOKEN_ROLES, type PersonTokenRole } from "../../db/enums.ts";
import type { invitations, people } from "../../db/schema.ts";

export const personRoleSchema = z.enum(PERSON_TOKEN_ROLES);
export type PersonRole = PersonTokenRole;

/** An invitation link is valid this long. */
export const INVITATION_VALID_MS = 7 * 24 * 60 * 60 * 1000;
/** An emailed sign-in link is valid this long. */
export const SIGN_IN_LINK_VALID_MS = 15 * 60 * 1000;

/** A person as the team sees them. */
export const personSummarySchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: personRoleSchema,
  created_at: z.string(),
  last_sign_in_at: z.string().nullable(),
});
export type PersonSummary = z.output<typeof personSummarySchema>;

export function personSummary(row: typeof people.$inferSelect): PersonSummary {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    created_at: row.createdAt,
    last_sign_in_at: row.lastSignInAt,
  };
}

/** A pending invitation (never its link). */
export const invitationSummarySchema = z.strictObject({
  id: z.string(),
  email: z.string(),
  role: personRoleSchema,
  invited_by: z.string(),
  created_at: z.string(),
  expires_at: z.string(),
});
export type InvitationSummary = z.output<typeof invitationSummarySchema>;

export function invitationSummary(row: typeof invitations.$inferSelect): InvitationSummary {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    invited_by: row.invitedBy,
    created_at: row.createdAt,
    expires_at: row.expiresAt,
  };
}
