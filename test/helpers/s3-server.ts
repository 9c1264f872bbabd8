import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { HeadObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import type { S3Target } from "../../jobs/publish/settings.ts";

const PROCESS = fileURLToPath(new URL("./s3-server-process.mjs", import.meta.url));

/** s3rver's fixed credentials. */
const CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export type StoredObject = {
  status: number;
  body: string;
  contentType: string | null;
  cacheControl: string | null;
  /**
   * False when the bytes that came are not the object's (their MD5 is not its ETag): s3rver keeps an object's
   * bytes and its length and MD5 in separate files, so a read racing a write of that object can mix the
   * two there (S3, R2 and MinIO swap an object whole).
   */
  whole: boolean;
};

export type S3Server = {
  endpoint: string;
  bucket: string;
  /** The publish target for this server, under `prefix`. */
  target(prefix?: string): S3Target;
  /** The environment `herald start` reads for this server. */
  env(prefix?: string): Record<string, string>;
  /** Every key in the bucket. */
  keys(): Promise<string[]>;
  /** A reader's GET of one object, as a CDN in front of the bucket would make it. */
  get(key: string, timeoutMs?: number): Promise<StoredObject>;
  head(key: string): Promise<{ contentType: string | undefined; cacheControl: string | undefined }>;
  stop(): Promise<void>;
};

/** A real S3-compatible server (s3rver) in its own process, with its objects under `dir`. */
export async function startS3Server(dir: string, options: { putDelayMs?: number } = {}): Promise<S3Server> {
  const bucket = "site";
  const child: ChildProcess = spawn(process.execPath, [PROCESS], {
    env: { ...process.env, S3_DIR: dir, S3_BUCKET: bucket, S3_PUT_DELAY_MS: String(options.putDelayMs ?? 0) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 15_000;
  let port = "";
  while (!port) {
    port = /listening (\d+)/.exec(output)?.[1] ?? "";
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`The S3 server did not start:\n${output}`);
    if (!port) await new Promise((r) => setTimeout(r, 25));
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ region: "auto", endpoint, forcePathStyle: true, credentials: CREDENTIALS });
  return {
    endpoint,
    bucket,
    target: (prefix = "") => ({
      kind: "s3",
      bucket,
      prefix,
      endpoint,
      region: "auto",
      credentials: CREDENTIALS,
      forcePathStyle: true,
    }),
    env: (prefix = "") => ({
      HERALD_PUBLISH: `s3://${bucket}/${prefix}`,
      S3_ENDPOINT: endpoint,
      S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      S3_FORCE_PATH_STYLE: "1",
    }),
    async keys() {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
    async get(key, timeoutMs = 2_000) {
      // s3rver sometimes never answers a read that races a write of the same object: give up.
      const response = await fetch(`${endpoint}/${bucket}/${key}`, { signal: AbortSignal.timeout(timeoutMs) });
      const bytes = new Uint8Array(await response.arrayBuffer());
      const etag = response.headers.get("etag")?.replaceAll('"', "");
      return {
        status: response.status,
        body: new TextDecoder().decode(bytes),
        contentType: response.headers.get("content-type"),
        cacheControl: response.headers.get("cache-control"),
        whole: response.status !== 200 || createHash("md5").update(bytes).digest("hex") === etag,
      };
    },
    async head(key) {
      const answer = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return { contentType: answer.ContentType, cacheControl: answer.CacheControl };
    },
    async stop() {
      client.destroy();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
