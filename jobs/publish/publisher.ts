/**
 * The publish step: after each render pass the release goes to the target. To object storage, only the
 * objects whose bytes changed are written (their MD5 against the bucket's ETags at a full sync, then
 * against what this process wrote), each with its content type and cache policy, in the consistent order
 * of order.ts; stale objects are deleted once nothing rendered links to them. To the local folder there
 * is nothing to copy. Either way the hook (hook.ts) is told which paths changed.
 */
import { createHash } from "node:crypto";
import { realpath } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import { OBJECT_HEADERS_VERSION, objectHeaders } from "../../core/public/site-headers.ts";
import { createPublishHook, type PublishHook } from "./hook.ts";
import { NOTE_FILE, type ObjectStore } from "./object-store.ts";
import { inPublishOrder, linkedFiles } from "./order.ts";
import { isPublishable, listReleaseFiles, publicPathOf, readInside } from "./release-files.ts";
import type { PublishSettings } from "./settings.ts";

export type PublishStats = { uploaded: number; deleted: number; deferred: number; ms: number };

export type Publisher = {
  /**
   * Publishes the files of the live `release` a render pass changed (relative paths), with those a
   * failed or deferred publish left. `settled`: the release has every page its changes need (no
   * follow-up pages pending), so stale objects may go and nothing waits for a page still to come.
   */
  publishChanges(release: string, files: Iterable<string>, settled: boolean, guard?: Guard): Promise<PublishStats>;
  /** Publishes the whole release (a full render, or a start): the bucket ends up holding exactly it. */
  publishRelease(release: string, guard?: Guard): Promise<PublishStats>;
  /** Whether changes are still waiting to be published (a failure to retry). */
  pending(): boolean;
  close(): Promise<void>;
};

/** Called before every write to the target: throws once this process may no longer publish (the render lease lost). */
export type Guard = () => void;
const unguarded: Guard = () => {};

/** Uploads in flight at once within one tier. */
const CONCURRENCY = 16;

export async function createPublisher(settings: PublishSettings): Promise<Publisher> {
  const hook = settings.hookUrl ? createPublishHook(settings.hookUrl) : null;
  if (settings.target.kind === "folder") return folderPublisher(hook);
  const { createS3Store } = await import("./s3-store.ts");
  return objectStorePublisher(createS3Store(settings.target), hook);
}

/** The release is already where it is served: only the hook has something to do. */
function folderPublisher(hook: PublishHook | null): Publisher {
  const none = (): PublishStats => ({ uploaded: 0, deleted: 0, deferred: 0, ms: 0 });
  return {
    async publishChanges(_release, files) {
      hook?.notify([...files].filter(isPublishable).map(publicPathOf), false);
      return none();
    },
    async publishRelease() {
      hook?.notify(["/"], true);
      return none();
    },
    pending: () => false,
    close: async () => hook?.idle(),
  };
}

const md5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex");

export function objectStorePublisher(store: ObjectStore, hook: PublishHook | null): Publisher {
  /** What the bucket holds of the release, file → MD5, as of this process's last publish; null before a full sync. */
  let known: Map<string, string> | null = null;
  /** Files changed since they were last published. */
  const pending = new Set<string>();

  async function upload(root: string, files: string[], sums: Map<string, string>, guard: Guard): Promise<void> {
    for (const tier of inPublishOrder(files)) {
      let next = 0;
      const worker = async () => {
        while (next < tier.length) {
          const file = tier[next++] ?? "";
          const bytes = await readInside(root, file);
          if (!bytes) continue; // removed meanwhile: the next pass deletes it
          const sum = md5(bytes);
          guard();
          await store.put(file, bytes, { ...objectHeaders(file), md5: sum });
          sums.set(file, sum);
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, tier.length) }, worker));
    }
  }

  async function publishRelease(release: string, guard = unguarded): Promise<PublishStats> {
    const started = performance.now();
    const root = await realpath(release);
    const [files, listed, note] = await Promise.all([listReleaseFiles(root), store.list(), store.readNote()]);
    const headersKept = readNote(note)?.headers === OBJECT_HEADERS_VERSION;
    const sums = new Map<string, string>();
    const changed: string[] = [];
    for (const file of files) {
      const bytes = await readInside(root, file);
      if (!bytes) continue;
      const sum = md5(bytes);
      // A store's ETag is the MD5 of a single-part upload (R2, S3 without KMS, MinIO, B2); where it is
      // not, the object is written again, which is only slower.
      if (headersKept && listed.get(file)?.etag === `"${sum}"`) sums.set(file, sum);
      else changed.push(file);
    }
    await upload(root, changed, sums, guard);
    const present = new Set(files);
    const stale = [...listed.keys()].filter((file) => file !== NOTE_FILE && !present.has(file));
    guard();
    await store.delete(stale);
    if (!headersKept) await store.writeNote(JSON.stringify({ headers: OBJECT_HEADERS_VERSION }));
    known = sums;
    pending.clear();
    hook?.notify([...changed, ...stale].map(publicPathOf), true);
    return {
      uploaded: changed.length,
      deleted: stale.length,
      deferred: 0,
      ms: Math.round(performance.now() - started),
    };
  }

  async function publishChanges(
    release: string,
    files: Iterable<string>,
    settled: boolean,
    guard = unguarded,
  ): Promise<PublishStats> {
    for (const file of files) if (isPublishable(file)) pending.add(file);
    if (!known) return publishRelease(release, guard);
    const inBucket = known;
    const started = performance.now();
    const root = await realpath(release);
    const toWrite = new Map<string, Buffer>();
    const toDelete: string[] = [];
    for (const file of pending) {
      const bytes = await readInside(root, file);
      if (!bytes) {
        if (inBucket.has(file)) toDelete.push(file);
        else pending.delete(file);
      } else if (inBucket.get(file) === md5(bytes)) pending.delete(file);
      else toWrite.set(file, bytes);
    }
    const deferred = settled ? 0 : deferDangling(toWrite, inBucket);
    await upload(root, [...toWrite.keys()], inBucket, guard);
    const deleting = settled ? toDelete : [];
    guard();
    await store.delete(deleting);
    for (const file of deleting) inBucket.delete(file);
    for (const file of [...toWrite.keys(), ...deleting]) pending.delete(file);
    const done = [...toWrite.keys(), ...deleting];
    if (done.length > 0) hook?.notify(done.map(publicPathOf), false);
    return { uploaded: toWrite.size, deleted: deleting.length, deferred, ms: Math.round(performance.now() - started) };
  }

  return {
    publishChanges,
    publishRelease,
    pending: () => pending.size > 0,
    async close() {
      await hook?.idle();
      store.close();
    },
  };
}

/**
 * Holds back, until a later publish, every page that links to a page neither in the bucket nor in this
 * publish (a new component's page or history month, rendered as a follow-up a moment later), and then
 * the pages linking to a held-back new one. They keep their previous version meanwhile. Returns how many.
 */
function deferDangling(toWrite: Map<string, Buffer>, inBucket: Map<string, string>): number {
  let deferred = 0;
  for (let changed = true; changed; ) {
    changed = false;
    for (const [file, bytes] of toWrite) {
      if (!file.endsWith(".html")) continue;
      const missing = linkedFiles(bytes.toString("utf8")).some(
        (target) => isPublishable(target) && !inBucket.has(target) && !toWrite.has(target),
      );
      if (missing) {
        toWrite.delete(file);
        deferred += 1;
        changed = true;
      }
    }
  }
  return deferred;
}

function readNote(text: string | null): { headers?: string } | null {
  if (!text) return null;
  try {
    const note: unknown = JSON.parse(text);
    return typeof note === "object" && note !== null ? (note as { headers?: string }) : null;
  } catch {
    return null;
  }
}
