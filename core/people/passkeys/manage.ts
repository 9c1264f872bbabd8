import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { passkeys } from "../../../db/schema.ts";
import type { ActionContext } from "../../actions/context.ts";
import { commitChanges } from "../../changes/commit.ts";

export type PasskeyListing = {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** A synced passkey (iCloud Keychain, Google Password Manager) rather than one bound to a single device. */
  synced: boolean;
};

/** A person's passkeys, oldest first, for their settings and the team page. */
export async function listPasskeys(db: Db, personId: string): Promise<PasskeyListing[]> {
  const rows = await db
    .select({
      id: passkeys.id,
      name: passkeys.name,
      createdAt: passkeys.createdAt,
      lastUsedAt: passkeys.lastUsedAt,
      deviceType: passkeys.deviceType,
    })
    .from(passkeys)
    .where(eq(passkeys.personId, personId))
    .orderBy(asc(passkeys.createdAt), asc(passkeys.id));
  return rows.map(({ deviceType, ...row }) => ({ ...row, synced: deviceType === "multiDevice" }));
}

/**
 * Removes one of a person's passkeys, audited as the actor's; false when they have none by that id (another
 * person's is not theirs to remove).
 */
export async function removePasskey(
  ctx: Pick<ActionContext, "db" | "clock" | "actor">,
  personId: string,
  passkeyId: string,
): Promise<boolean> {
  const { db } = ctx;
  const mine = and(eq(passkeys.id, passkeyId), eq(passkeys.personId, personId));
  const [found] = await db.select({ name: passkeys.name }).from(passkeys).where(mine);
  if (!found) return false;
  const audit = { action: "passkey.remove", targetType: "person", targetId: personId, details: { name: found.name } };
  await commitChanges(ctx, [{ statements: [db.delete(passkeys).where(mine)], audit, jobs: [] }]);
  return true;
}
