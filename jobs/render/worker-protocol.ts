/** The messages between the render thread (server/render-worker.ts) and the process that runs it (thread-renderer.ts). */
import type { RenderTopics } from "../../core/changes/commit.ts";
import type { PublishSettings } from "../publish/settings.ts";
import type { ThreadError } from "../thread-error.ts";
import type { RenderStats, SiteChange } from "./renderer.ts";

/** What the render thread needs to open its own database connection and renderer. */
export type RenderThreadData = {
  databaseUrl: string;
  databaseAuthToken: string | undefined;
  dataDir: string;
  siteDist: string;
  build: string | undefined;
  publish?: PublishSettings | undefined;
  frameAncestors?: readonly string[] | undefined;
  logPublishes?: boolean | undefined;
};

/**
 * What the thread starts with: also the render lease's hold counter, shared memory the calling thread
 * bumps when a hold ends (thread-renderer.ts); a call made under a hold carries the count it began at.
 */
export type RenderThreadStart = RenderThreadData & { holds: Int32Array };

export type RenderCall =
  | { id: number; call: "renderTopics"; topics: RenderTopics[]; hold: number | null }
  | { id: number; call: "renderAll"; hold: number | null }
  | { id: number; call: "settled" }
  | { id: number; call: "liveReleaseIsCurrent" }
  | { id: number; call: "publishLive"; hold: number | null }
  | { id: number; call: "close" };

export type RenderAnswer = RenderStats | boolean | null;

export type RenderThreadMessage =
  | { type: "ready" }
  | { type: "start-failed"; error: ThreadError }
  | { type: "change"; change: SiteChange }
  | { type: "answer"; id: number; value: RenderAnswer }
  | { type: "failed"; id: number; error: ThreadError };
