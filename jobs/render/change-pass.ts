/**
 * The change pass: a change's own routes (index, incident pages, feeds, JSON, history index) rendered into
 * the live release, each file replaced atomically. Its follow-up routes (history months, component pages)
 * wait in the queue (queue.ts, FollowUps) and are rendered by `followUpTurn`, one route per turn, once
 * changes pause, so the next change's first pass never waits behind them.
 */
import { performance } from "node:perf_hooks";
import type { RenderTopics } from "../../core/changes/commit.ts";
import type { Db } from "../../db/client.ts";
import { followUpRoutes } from "./follow-up-routes.ts";
import type { Hold } from "./hold.ts";
import { type Exclusive, FollowUps } from "./queue.ts";
import { currentRelease, markFollowUpsPending } from "./releases.ts";
import { routesForTopics } from "./routes.ts";
import { emptyStats, type RenderStats, type RouteWriter } from "./writer.ts";

export type ChangePass = {
  /** Renders the changes' own routes into the live release and queues their follow-ups; null: no live release. */
  render(topics: RenderTopics[], hold?: Hold): Promise<RenderStats | null>;
  /** The changes' follow-up routes, rendered on the queue one per turn (`drain`, `settled`). */
  followUps: FollowUps;
  /** A full render wrote everything pending into a new release. */
  replaced(): void;
};

export function createChangePass(
  db: Db,
  dataDir: string,
  writer: RouteWriter,
  exclusive: Exclusive,
  /** Runs after each follow-up turn wrote into the live release, still on the queue (the publish step). */
  afterTurn: (release: string) => Promise<void> = async () => {},
): ChangePass {
  /** The release this pass marked as missing follow-up pages (see markFollowUpsPending), if any. */
  let markedRelease: string | null = null;

  /** One turn of the follow-ups: chooses the routes of the topics taken, renders what is due. */
  async function followUpTurn(): Promise<void> {
    const release = await currentRelease(dataDir);
    if (!release) {
      // Nothing live to update: the next full render writes every page.
      followUps.clear();
      return;
    }
    const taken = followUps.takeTopics();
    if (taken) followUps.addRoutes(await followUpRoutes(db, release, taken.topics), taken.since);
    const batch = followUps.due();
    await writer.writeRoutes(release, batch, { live: true, started: performance.now() });
    followUps.done(batch);
    if (!followUps.pending() && markedRelease === release) {
      await markFollowUpsPending(release, false);
      markedRelease = null;
    }
    await afterTurn(release);
  }
  const followUps = new FollowUps(exclusive, followUpTurn);

  return {
    followUps,
    async render(topics, hold) {
      const started = performance.now();
      const release = await currentRelease(dataDir);
      if (!release) return null;
      if (topics.length === 0) return emptyStats();
      followUps.add(topics);
      const first = topics.map((t) => ({ ...t, components: [], months: [] }));
      const written = await writer.writeRoutes(release, routesForTopics(first), { live: true, started, hold });
      // Marked once the job's own pages are written, before the runner deletes the job: a kill before
      // this runs the job again at the next start; a kill after it, before the follow-ups are written,
      // makes the next start render all.
      if (markedRelease !== release) {
        await markFollowUpsPending(release, true);
        markedRelease = release;
      }
      return written;
    },

    replaced() {
      followUps.clear();
      markedRelease = null;
    },
  };
}
