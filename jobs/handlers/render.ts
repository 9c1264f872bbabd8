import type { Renderer } from "../render/index.ts";
import { HandBack, type JobHandler } from "../runner.ts";

const lostDuringRender = () => new HandBack("the render lease went to another runner during the render.");

/**
 * Renders what the due changes touched, in one pass (a full render if any asks for one). Under a render
 * lease, a render during which the lease went to another runner stops within a page and hands its jobs
 * back: the new holder's catch-up renders them (and only the holder's renders count).
 */
export function renderHandler(
  renderer: Renderer,
  options: { logRenders?: boolean; lease?: { signal(): AbortSignal } } = {},
): JobHandler<"render"> {
  return async (due) => {
    const hold = options.lease?.signal();
    if (hold?.aborted) throw new HandBack("this runner does not hold the render lease.");
    const topics = due.map((job) => job.payload);
    const stats = await (topics.some((t) => t.full)
      ? renderer.renderAll(hold)
      : renderer.renderTopics(topics, hold)
    ).catch((error: unknown) => {
      throw hold?.aborted ? lostDuringRender() : error;
    });
    if (hold?.aborted) throw lostDuringRender();
    if (options.logRenders) {
      console.log(
        `render: ${due.length} job(s), ${stats.routes} routes, ${stats.written} written in ${stats.ms.toFixed(0)} ms`,
      );
    }
  };
}
