import { and, asc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client.ts";
import { passkeys, people } from "../../../db/schema.ts";
import { defineAction, defineQuery, type Outcome } from "../../actions/define.ts";
import { notFound } from "../../actions/errors.ts";
import { requirePerson } from "../load-person.ts";
import { ownPersonId } from "../person-sessions.ts";

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

/** A passkey as the API lists it: never its public key. */
export const passkeySummarySchema = z.strictObject({
  id: z.string().describe("the credential id"),
  name: z.string().describe('its owner\'s name for it ("Laptop")'),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  synced: z.boolean().describe("kept by a password manager across devices, rather than bound to one"),
});

export const personPasskeysSchema = z.strictObject({ passkeys: z.array(passkeySummarySchema) });

const personIdField = z.string().describe("the person's id");
const passkeyIdField = z.string().describe("the passkey's id, as listed");

async function loadPersonPasskeys(db: Db, personId: string) {
  const [person] = await db
    .select()
    .from(people)
    .where(and(eq(people.id, personId), isNull(people.removedAt)));
  return { db, person, passkeys: person ? await listPasskeys(db, personId) : [] };
}

type LoadedPasskeys = Awaited<ReturnType<typeof loadPersonPasskeys>>;

/** Removes one of a person's passkeys: it no longer signs them in. Another person's passkey is not found. */
function planRemovePasskey(
  { db, person, passkeys: theirs }: LoadedPasskeys,
  personId: string,
  passkeyId: string,
): Outcome<{ outcome: "removed" }> {
  const found = requirePerson(person, personId);
  const passkey = theirs.find((p) => p.id === passkeyId);
  if (!passkey) throw notFound(`${found.name} has no passkey with id "${passkeyId}".`);
  const change = {
    statements: [db.delete(passkeys).where(and(eq(passkeys.id, passkeyId), eq(passkeys.personId, personId)))],
    audit: {
      action: "passkey.remove",
      targetType: "person",
      targetId: personId,
      details: { name: passkey.name, passkey_id: passkeyId },
    },
    jobs: [],
  };
  return { changes: [change], result: { outcome: "removed" } };
}

/** An admin sees a person's passkeys. */
export const listPersonPasskeys = defineQuery({
  name: "passkey.list",
  role: "admin",
  doing: "see other people's passkeys",
  input: z.object({ id: personIdField }).strict(),
  async read(ctx, { id }) {
    const loaded = await loadPersonPasskeys(ctx.db, id);
    requirePerson(loaded.person, id);
    return {
      passkeys: loaded.passkeys.map((p) => ({
        id: p.id,
        name: p.name,
        created_at: p.createdAt,
        last_used_at: p.lastUsedAt,
        synced: p.synced,
      })),
    };
  },
});

/** An admin removes a person's passkey (a lost phone), audited. */
export const removePersonPasskey = defineAction({
  name: "passkey.remove",
  role: "admin",
  doing: "remove other people's passkeys",
  input: z.object({ id: personIdField, passkey_id: passkeyIdField }).strict(),
  load: (ctx, { id }) => loadPersonPasskeys(ctx.db, id),
  plan: (loaded, { id, passkey_id }) => planRemovePasskey(loaded, id, passkey_id),
});

/** A person removes one of their own passkeys, audited under their name. */
export const removeOwnPasskey = defineAction({
  name: "passkey.remove_own",
  role: "viewer",
  doing: "remove their passkeys",
  input: z.object({ passkey_id: passkeyIdField }).strict(),
  load: async (ctx) => ({ ...(await loadPersonPasskeys(ctx.db, ownPersonId(ctx.actor))), id: ctx.actor.id }),
  plan: (loaded, { passkey_id }) => planRemovePasskey(loaded, loaded.id, passkey_id),
});
