import type { Db } from "../../../db/client.ts";
import { HeraldError } from "../../actions/errors.ts";
import { listComponents } from "../../components/load-components.ts";
import { levelNoticeOf } from "../../escalation/ids.ts";
import type { ComponentStatus } from "../../model/statuses.ts";
import { draftNoticeOf } from "./notice-ids.ts";
import { readDraft } from "./read-drafts.ts";
import type { DraftView } from "./schemas.ts";

/** What a draft's notice tells the team, read once per event for the mail and the webhooks alike. */
export type DraftNoticeFacts = {
  draft: DraftView;
  /** 0: the first notice; 1–3: reminders; under an escalation policy, the level told (1 on). */
  notice: number;
  /** Whole minutes between the draft's making and the event. */
  waitingMinutes: number;
  /** The drafted components, by name, in the page's order. */
  components: { id: string; name: string; status: ComponentStatus }[];
};

/**
 * The facts of a draft notice event, or null when there is nothing to tell any more: the event is not a
 * draft's, the draft is gone, or a person published or discarded it before the notice went out.
 */
export async function draftNoticeFacts(
  db: Db,
  event: { id: string; createdAt: string },
): Promise<DraftNoticeFacts | null> {
  const about = draftNoticeOf(event.id) ?? draftLevelOf(event.id);
  if (!about) return null;
  const [draft, components] = await Promise.all([
    readDraft(db, about.draftId).catch((error: unknown) => {
      if (error instanceof HeraldError && error.kind === "not_found") return null;
      throw error;
    }),
    listComponents(db),
  ]);
  if (draft?.state !== "waiting") return null;
  return {
    draft,
    notice: about.n,
    waitingMinutes: Math.max(0, Math.round((Date.parse(event.createdAt) - Date.parse(draft.created_at)) / 60_000)),
    components: components.flatMap((c) => {
      const status = draft.components[c.id];
      return status ? [{ id: c.id, name: c.name, status }] : [];
    }),
  };
}

/** The draft and level an escalation notice of a draft (core/escalation/ids.ts) is about. */
function draftLevelOf(eventId: string): { draftId: string; n: number } | null {
  const notice = levelNoticeOf(eventId);
  return notice?.subject.type === "draft" ? { draftId: notice.subject.id, n: notice.level } : null;
}
