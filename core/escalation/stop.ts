import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { escalations } from "../../db/schema.ts";
import type { Statement } from "../changes/commit.ts";

/** Stops every running escalation about a subject (an acknowledgement, a posted update); `by` says who or what. */
export function stopEscalations(
  db: Db,
  subject: { type: "incident" | "draft"; id: string },
  by: string,
  at: string,
): Statement {
  return db
    .update(escalations)
    .set({ stoppedAt: at, stoppedBy: by })
    .where(
      and(
        eq(escalations.subjectType, subject.type),
        eq(escalations.subjectId, subject.id),
        isNull(escalations.stoppedAt),
      ),
    );
}
