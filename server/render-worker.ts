/**
 * The render thread's entry (bundled as dist/render-worker.mjs): a renderer with its own database
 * connection, answering thread-renderer.ts. Rendering is CPU-bound; on its own thread it never holds up
 * the server's event loop (a reader asking for the page a render just wrote).
 */
import { parentPort, workerData } from "node:worker_threads";
import { createDb } from "../db/client.ts";
import { createRenderer, type Renderer } from "../jobs/render/renderer.ts";
import type {
  RenderAnswer,
  RenderCall,
  RenderThreadData,
  RenderThreadMessage,
} from "../jobs/render/worker-protocol.ts";
import { threadError } from "../jobs/thread-error.ts";

const port = parentPort;
if (!port) throw new Error("server/render-worker.ts runs as a worker thread (see jobs/render/thread-renderer.ts).");
const post = (message: RenderThreadMessage) => port.postMessage(message);
const data = workerData as RenderThreadData;

function answer(renderer: Renderer, message: RenderCall): Promise<RenderAnswer> {
  switch (message.call) {
    case "renderTopics":
      return renderer.renderTopics(message.topics);
    case "renderAll":
      return renderer.renderAll();
    case "settled":
      return renderer.settled().then(() => null);
    case "liveReleaseIsCurrent":
      return renderer.liveReleaseIsCurrent();
    case "publishLive":
      return renderer.publishLive().then(() => null);
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
