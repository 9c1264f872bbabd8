import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { people } from "../../../db/schema.ts";
import type { Clock } from "../../actions/clock.ts";
import type { Actor } from "../../actions/context.ts";
import { commitChange } from "../../changes/commit.ts";
import { newId } from "../../model/ids.ts";
import { decideSsoAccess } from "./access.ts";
import type { SsoIdentity } from "./identity.ts";
import { readSsoPolicy } from "./policy.ts";

export type SsoPersonResult =
  | { ok: true; actor: Actor; created: boolean }
  /** `removed`: an admin removed this person; single sign-on does not bring them back. */
  | { ok: false; reason: "domain-not-allowed" | "removed"; email: string };

async function personByEmail(db: Db, email: string) {
  const [row] = await db.select().from(people).where(eq(people.email, email));
  return row;
}

/**
 * The person a verified identity signs in as: an existing person by their address; a new address on an
 * allowed domain becomes a person with the default role (audited as their own first act); anyone else
 * is refused and nothing is written.
 */
export async function signInPersonBySso(
  ctx: { db: Db; clock: Clock; onCommit?: (() => void) | undefined },
  identity: SsoIdentity,
  issuer: string,
): Promise<SsoPersonResult> {
  const now = ctx.clock.now().toISOString();
  const existing = await personByEmail(ctx.db, identity.email);
  if (existing?.removedAt) return { ok: false, reason: "removed", email: identity.email };
  if (existing) {
    await ctx.db.update(people).set({ lastSignInAt: now }).where(eq(people.id, existing.id));
    return {
      ok: true,
      actor: { id: existing.id, name: existing.name, role: existing.role, kind: "person" },
      created: false,
    };
  }
  const access = decideSsoAccess(identity, null, await readSsoPolicy(ctx.db));
  if (access.kind !== "create") return { ok: false, reason: "domain-not-allowed", email: identity.email };
  const id = newId();
  const actor: Actor = { id, name: access.name, role: access.role, kind: "person" };
  await commitChange(
    { ...ctx, actor },
    {
      statements: [
        ctx.db
          .insert(people)
          .values({
            id,
            name: access.name,
            email: access.email,
            role: access.role,
            createdAt: now,
            updatedAt: now,
            lastSignInAt: now,
          })
          .onConflictDoNothing(),
      ],
      audit: {
        action: "person.create",
        targetType: "person",
        targetId: id,
        details: { email: access.email, role: access.role, via: "sso", issuer },
      },
      jobs: [],
    },
  );
  // Two first sign-ins at once: the address's one row wins, and both sign in as it.
  const person = await personByEmail(ctx.db, identity.email);
  if (!person || person.removedAt) return { ok: false, reason: "removed", email: identity.email };
  return { ok: true, actor: { id: person.id, name: person.name, role: person.role }, created: person.id === id };
}
