/**
 * The render thread's entry (bundled as dist/render-worker.mjs): a renderer with its own database
 * connection, answering thread-renderer.ts. Rendering is CPU-bound; on its own thread it never holds up
 * the server's event loop (a reader asking for the page a render just wrote).
 */
import { parentPort, workerData } from "node:worker_threads";
import { createDb } from "../db/client.ts";
import type { Hold } from "../jobs/render/hold.ts";
import { createRenderer, type Renderer } from "../jobs/render/renderer.ts";
import type {
  RenderAnswer,
  RenderCall,
  RenderThreadMessage,
  RenderThreadStart,
} from "../jobs/render/worker-protocol.ts";
import { threadError } from "../jobs/thread-error.ts";

const port = parentPort;
if (!port) throw new Error("server/render-worker.ts runs as a worker thread (see jobs/render/thread-renderer.ts).");
const post = (message: RenderThreadMessage) => port.postMessage(message);
const data = workerData as RenderThreadStart;

/** The hold a call was made under, read from the shared counter: lost once the calling thread bumped it. */
function holdOf(count: number | null): Hold | undefined {
  if (count === null) return undefined;
  return {
    get aborted() {
      return Atomics.load(data.holds, 0) !== count;
    },
  };
}

function answer(renderer: Renderer, message: RenderCall): Promise<RenderAnswer> {
  switch (message.call) {
    case "renderTopics":
      return renderer.renderTopics(message.topics, holdOf(message.hold));
    case "renderAll":
      return renderer.renderAll(holdOf(message.hold));
    case "settled":
      return renderer.settled().then(() => null);
    case "liveReleaseIsCurrent":
      return renderer.liveReleaseIsCurrent();
    case "publishLive":
      return renderer.publishLive(holdOf(message.hold)).then(() => null);
    case "close":
      return renderer.close().then(() => null);
  }
}

try {
  const db = createDb({ url: data.databaseUrl, authToken: data.databaseAuthToken });
  const renderer = await createRenderer({
    db,
    dataDir: data.dataDir,
    siteDist: data.siteDist,
    build: data.build,
    publish: data.publish,
    frameAncestors: data.frameAncestors,
    logPublishes: data.logPublishes,
    onChange: (change) => post({ type: "change", change }),
  });
  port.on("message", (message: RenderCall) => {
    answer(renderer, message).then(
      (value) => post({ type: "answer", id: message.id, value }),
      (error: unknown) => post({ type: "failed", id: message.id, error: threadError(error) }),
    );
  });
  post({ type: "ready" });
} catch (error) {
  post({ type: "start-failed", error: threadError(error) });
}
