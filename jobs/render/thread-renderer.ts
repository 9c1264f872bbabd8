/**
 * A renderer on its own thread (server/render-worker.ts, bundled as dist/render-worker.mjs), behind the same Renderer
 * interface. The Node server uses it so that rendering, CPU-bound, never holds up serving: a reader asking
 * for the page a render just wrote is answered at once, and the server stays fast during a full render.
 * Site changes come back as messages, in the order the files were replaced.
 */
import { Worker } from "node:worker_threads";
import { fromThreadError } from "../thread-error.ts";
import { type Hold, RenderStopped } from "./hold.ts";
import type { Renderer, RenderStats, SiteChange } from "./renderer.ts";
import type {
  RenderAnswer,
  RenderCall,
  RenderThreadData,
  RenderThreadMessage,
  RenderThreadStart,
} from "./worker-protocol.ts";

export type ThreadRendererOptions = {
  /** The bundled server/render-worker.ts. */
  workerFile: string;
  data: RenderThreadData;
  onChange?: (change: SiteChange) => void;
};

type Pending = { resolve: (value: RenderAnswer) => void; reject: (error: Error) => void };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export async function createThreadRenderer(options: ThreadRendererOptions): Promise<Renderer> {
  /** Each thread's calls awaiting an answer: a thread that stops fails its own calls, never a newer thread's. */
  const pendingOf = new WeakMap<Worker, Map<number, Pending>>();
  let nextId = 0;
  let spawned = 0;
  let closing = false;
  let thread: Promise<Worker> | null = null;
  /** The thread `thread` stands for, from its spawn until it stops. */
  let running: Worker | null = null;
  /** Bumped when a hold a call was made under ends: the thread stops that render within a page. */
  const holds = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));

  function spawn(): Promise<Worker> {
    const workerData: RenderThreadStart = { ...options.data, holds };
    const worker = new Worker(options.workerFile, { workerData });
    const pending = new Map<number, Pending>();
    pendingOf.set(worker, pending);
    running = worker;
    return new Promise<Worker>((resolve, reject) => {
      worker.on("message", (message: RenderThreadMessage) => {
        switch (message.type) {
          case "ready":
            return resolve(worker);
          case "start-failed":
            void worker.terminate();
            return reject(fromThreadError(message.error));
          case "change":
            try {
              options.onChange?.(message.change);
            } catch (error) {
              console.error("Herald: a listener for site changes failed.", error);
            }
            return;
          case "answer":
            pending.get(message.id)?.resolve(message.value);
            pending.delete(message.id);
            return;
          case "failed":
            pending.get(message.id)?.reject(fromThreadError(message.error));
            pending.delete(message.id);
            return;
        }
      });
      worker.on("error", (error) => console.error("Herald: the render thread failed.", error));
      worker.on("exit", (code) => {
        const lost = new Error(`The render thread stopped (exit code ${code}); the render is retried.`);
        reject(lost);
        for (const call of pending.values()) call.reject(lost);
        pendingOf.delete(worker);
        if (running === worker) {
          running = null;
          thread = null;
        }
        if (!closing) console.error(`Herald: the render thread stopped (exit code ${code}); starting a new one.`);
      });
    });
  }

  /** The running thread; a new one after a crash first renders everything if the live release is not current. */
  function ready(): Promise<Worker> {
    if (thread) return thread;
    spawned += 1;
    const started = spawn();
    const current = spawned === 1 ? started : started.then(recover);
    thread = current;
    current.catch(() => {
      if (thread === current) thread = null;
    });
    return current;
  }

  // The follow-up pages the lost thread had pending are known only to it: the release's mark tells.
  async function recover(worker: Worker): Promise<Worker> {
    if (!(await send(worker, { call: "liveReleaseIsCurrent" }))) await send(worker, { call: "renderAll", hold: null });
    return worker;
  }

  function send(worker: Worker, call: DistributiveOmit<RenderCall, "id">): Promise<RenderAnswer> {
    const id = ++nextId;
    const pending = pendingOf.get(worker);
    if (!pending) return Promise.reject(new Error("The render thread stopped; the render is retried."));
    return new Promise<RenderAnswer>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...call, id } satisfies RenderCall);
    });
  }

  const call = async (message: DistributiveOmit<RenderCall, "id">) => send(await ready(), message);

  /** A render call under `hold`: an AbortSignal's end reaches the thread through the shared counter. */
  async function underHold(
    hold: Hold | undefined,
    message: (count: number | null) => DistributiveOmit<RenderCall, "id">,
  ) {
    if (!(hold instanceof AbortSignal)) {
      if (hold?.aborted) throw new RenderStopped();
      return call(message(null));
    }
    if (hold.aborted) throw new RenderStopped();
    const count = Atomics.load(holds, 0);
    const bump = () => Atomics.add(holds, 0, 1);
    hold.addEventListener("abort", bump, { once: true });
    try {
      return await call(message(count));
    } finally {
      hold.removeEventListener("abort", bump);
    }
  }
  const stats = (value: RenderAnswer): RenderStats => {
    if (typeof value !== "object" || value === null) throw new Error("The render thread answered without stats.");
    return value;
  };

  await ready();
  return {
    renderTopics: async (topics, hold) =>
      stats(await underHold(hold, (count) => ({ call: "renderTopics", topics, hold: count }))),
    renderAll: async (hold) => stats(await underHold(hold, (count) => ({ call: "renderAll", hold: count }))),
    settled: async () => {
      await call({ call: "settled" });
    },
    liveReleaseIsCurrent: async () => (await call({ call: "liveReleaseIsCurrent" })) === true,
    publishLive: async (hold) => {
      await underHold(hold, (count) => ({ call: "publishLive", hold: count }));
    },
    close: async () => {
      if (!thread) return;
      const worker = await thread;
      await send(worker, { call: "close" });
      closing = true;
      await worker.terminate();
    },
  };
}
