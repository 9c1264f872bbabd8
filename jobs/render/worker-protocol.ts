/** The messages between the render thread (worker.ts) and the process that runs it (thread-renderer.ts). */
import type { RenderTopics } from "../../core/commit.ts";
import type { RenderStats, SiteChange } from "./renderer.ts";

/** What the render thread needs to open its own database connection and renderer. */
export type RenderThreadData = {
  databaseUrl: string;
  databaseAuthToken: string | undefined;
  dataDir: string;
  siteDist: string;
  build: string | undefined;
};

export type RenderCall =
  | { id: number; call: "renderTopics"; topics: RenderTopics[] }
  | { id: number; call: "renderAll" }
  | { id: number; call: "settled" }
  | { id: number; call: "liveReleaseIsCurrent" };

export type RenderAnswer = RenderStats | boolean | null;

/** An error crosses the thread as its message and stack (structured clone drops AggregateError's list). */
export type ThreadError = { message: string; stack: string | undefined };

export type RenderThreadMessage =
  | { type: "ready" }
  | { type: "start-failed"; error: ThreadError }
  | { type: "change"; change: SiteChange }
  | { type: "answer"; id: number; value: RenderAnswer }
  | { type: "failed"; id: number; error: ThreadError };

export function threadError(error: unknown): ThreadError {
  if (!(error instanceof Error)) return { message: String(error), stack: undefined };
  const causes = error instanceof AggregateError ? error.errors.map((e) => `\n  ${String(e)}`).join("") : "";
  return { message: `${error.message}${causes}`, stack: error.stack };
}

export function fromThreadError(error: ThreadError): Error {
  const rebuilt = new Error(error.message);
  if (error.stack) rebuilt.stack = error.stack;
  return rebuilt;
}
