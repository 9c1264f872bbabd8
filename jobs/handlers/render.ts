import type { Renderer } from "../render/index.ts";
import type { JobHandler } from "../runner.ts";

/** Renders what the due changes touched, in one pass (a full render if any asks for one). */
export function renderHandler(renderer: Renderer, options: { logRenders?: boolean } = {}): JobHandler<"render"> {
  return async (due) => {
    const topics = due.map((job) => job.payload);
    const stats = topics.some((t) => t.full) ? await renderer.renderAll() : await renderer.renderTopics(topics);
    if (options.logRenders) {
      console.log(
        `render: ${due.length} job(s), ${stats.routes} routes, ${stats.written} written in ${stats.ms.toFixed(0)} ms`,
      );
    }
  };
}
