import { and, eq, ne } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { subscribers } from "../../db/schema.ts";
import type { Statement } from "../changes/commit.ts";

/**
 * One team address: every mail row marked as the team's except `teamEmail`'s becomes a plain subscriber
 * row again (null: none stays marked; the address the environment names is marked at its next reminder).
 */
export function unmarkFormerTeamAddresses(db: Db, teamEmail: string | null): Statement {
  const marked = and(eq(subscribers.channel, "email"), eq(subscribers.team, true));
  return db
    .update(subscribers)
    .set({ team: false })
    .where(teamEmail ? and(marked, ne(subscribers.address, teamEmail)) : marked);
}
