import type { ActionContext } from "../../actions/context.ts";
import { pruneAlertLog } from "./alert-log.ts";
import { checkHeartbeats } from "./heartbeats.ts";

/** The intake's part of every tick: missing heartbeats raise their alerts; log lines past 30 days go. */
export async function intakeTick(ctx: ActionContext): Promise<{ heartbeats: string[]; pruned: number }> {
  const heartbeats = await checkHeartbeats(ctx);
  return { heartbeats, pruned: await pruneAlertLog(ctx) };
}
