/**
 * The renderer: one render at a time (queue.ts) of either a change's routes into the live release
 * (change-pass.ts, each file replaced atomically, its follow-up pages after) or every route into a new
 * release that goes live at once (full-render.ts); both write through writer.ts. See index.ts.
 */
import { mkdir } from "node:fs/promises";
import type { RenderTopics } from "../../core/changes/commit.ts";
import { getPage } from "../../core/page/get-page.ts";
import type { Db } from "../../db/client.ts";
import { createPublishStep, type PublishStep } from "../publish/publish-step.ts";
import { createPublisher } from "../publish/publisher.ts";
import type { PublishSettings } from "../publish/settings.ts";
import { cleanTempFiles } from "./atomic-files.ts";
import { createChangePass } from "./change-pass.ts";
import { renderFullRelease } from "./full-render.ts";
import type { Hold } from "./hold.ts";
import { createExclusive } from "./queue.ts";
import { currentRelease, currentSiteDir, hasFollowUpsPending, readStamp, releasesDir } from "./releases.ts";
import { loadApp } from "./site-app.ts";
import { createRouteWriter, type RenderStats, type SiteChange } from "./writer.ts";

export type { RenderStats, SiteChange } from "./writer.ts";

export type Renderer = {
  /**
   * Renders the routes a set of changes touched (the union of several jobs' topics). It resolves once the
   * index, incident pages, history index, feeds and JSON are written; history months and component pages
   * follow once changes pause (queue.ts, FollowUps; `settled` waits for them). Under a render lease,
   * `hold` stops it (RenderStopped) once the lease is lost.
   */
  renderTopics(topics: RenderTopics[], hold?: Hold): Promise<RenderStats>;
  /** Renders every route into a new release folder, then switches the live site to it atomically (unless `hold` is lost). */
  renderAll(hold?: Hold): Promise<RenderStats>;
  /** Resolves once the follow-up pages of past changes are rendered (they follow a change's other routes). */
  settled(): Promise<void>;
  /**
   * Whether the live release was fully rendered by this build for this database, with no change's pages
   * missing: then a start need not render everything again (what changed since arrives as outbox jobs).
   */
  liveReleaseIsCurrent(): Promise<boolean>;
  /**
   * Publishes the whole live release to the publish target (a new holder of the render lease whose
   * release is current: the target may lag it), unless `hold` is lost.
   */
  publishLive(hold?: Hold): Promise<void>;
  /** Waits for the pending follow-up pages, then frees what the renderer holds (its thread, if any). */
  close(): Promise<void>;
};

export type RendererOptions = {
  db: Db;
  dataDir: string;
  siteDist: string;
  /** The code version (`dist/.build-hash`), stamped on each release; without it every start renders all. */
  build?: string | undefined;
  /** Called after each change to the live site, once the new bytes are in place. */
  onChange?: (change: SiteChange) => void;
  /** Where each render pass is published (jobs/publish/); the data folder alone when absent. */
  publish?: PublishSettings | undefined;
  /** HERALD_FRAME_ANCESTORS, for the release's `_headers`. */
  frameAncestors?: readonly string[] | undefined;
  /** HERALD_LOG_RENDERS=1: a line per publish too. */
  logPublishes?: boolean | undefined;
};

export async function createRenderer(options: RendererOptions): Promise<Renderer> {
  const { db, dataDir, siteDist, build } = options;
  let publish: PublishStep | null = null;
  const notify = (change: SiteChange) => {
    if ("file" in change) publish?.fileChanged(change.file);
    try {
      options.onChange?.(change);
    } catch (error) {
      console.error("Herald: a listener for site changes failed.", error);
    }
  };
  const app = await loadApp(siteDist);
  await mkdir(releasesDir(dataDir), { recursive: true });
  await cleanTempFiles(dataDir, currentSiteDir(dataDir));
  const writer = createRouteWriter(app, db, notify);
  const exclusive = createExclusive();
  const changePass = createChangePass(db, dataDir, writer, exclusive, (release) =>
    publish ? publish.afterPass(release) : Promise.resolve(),
  );
  if (options.publish?.target.kind === "s3" || options.publish?.hookUrl) {
    publish = createPublishStep({
      publisher: await createPublisher(options.publish),
      exclusive,
      liveRelease: () => currentRelease(dataDir),
      settled: () => !changePass.followUps.pending(),
      logPublishes: options.logPublishes ?? false,
    });
  }
  const frameAncestors = options.frameAncestors ?? [];

  async function renderAllNow(hold?: Hold): Promise<RenderStats> {
    publish?.holdWith(hold);
    const stats = await renderFullRelease({ db, dataDir, siteDist, build, writer, notify, frameAncestors, hold });
    // Everything pending before this render read the database is in the new release.
    changePass.replaced();
    const release = await currentRelease(dataDir);
    if (publish && release) await publish.afterRelease(release);
    return stats;
  }

  async function renderChanges(topics: RenderTopics[], hold: Hold | undefined): Promise<RenderStats> {
    publish?.holdWith(hold);
    const stats = await changePass.render(topics, hold);
    if (!stats) return renderAllNow(hold);
    const release = await currentRelease(dataDir);
    if (publish && release) await publish.afterPass(release);
    return stats;
  }

  return {
    renderTopics: async (topics, hold) => {
      const stats = await exclusive(async () =>
        topics.some((t) => t.full) ? renderAllNow(hold) : renderChanges(topics, hold),
      );
      void changePass.followUps.drain();
      return stats;
    },
    renderAll: (hold) => exclusive(() => renderAllNow(hold)),
    settled: () => changePass.followUps.settled(),
    publishLive: (hold) =>
      exclusive(async () => {
        publish?.holdWith(hold);
        await publish?.publishLive();
      }),
    close: async () => {
      await changePass.followUps.settled();
      await publish?.close();
    },
    liveReleaseIsCurrent: async () => {
      const release = await currentRelease(dataDir);
      if (!release || !build) return false;
      const [stamp, pending, page] = await Promise.all([readStamp(release), hasFollowUpsPending(release), getPage(db)]);
      return stamp?.build === build && stamp.pageId === page.id && !pending;
    },
  };
}
