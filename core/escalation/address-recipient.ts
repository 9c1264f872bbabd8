import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { subscribers } from "../../db/schema.ts";
import type { Statement } from "../changes/commit.ts";
import { newId } from "../model/ids.ts";

/**
 * The mail row a person's escalation notice is addressed to: their subscriber row when they subscribe, else a
 * row in state `unsubscribed` that personal events reach and subscribers' notices never do.
 */
export async function addressRecipient(
  db: Db,
  email: string,
  now: Date,
): Promise<{ subscriberId: string; statements: Statement[] }> {
  const [found] = await db
    .select({ id: subscribers.id })
    .from(subscribers)
    .where(and(eq(subscribers.channel, "email"), eq(subscribers.address, email)));
  if (found) return { subscriberId: found.id, statements: [] };
  const id = newId();
  const at = now.toISOString();
  const insert = db
    .insert(subscribers)
    .values({
      id,
      channel: "email",
      address: email,
      format: "email",
      state: "unsubscribed",
      source: "api",
      unsubscribedAt: at,
      createdAt: at,
      updatedAt: at,
    })
    .onConflictDoNothing();
  return { subscriberId: id, statements: [insert] };
}
