// A real S3-compatible server in its own process (the s3rver package), for tests and benchmarks. Serves
// the bucket S3_BUCKET (default "site") with its objects under S3_DIR, on 127.0.0.1 at a free port;
// S3_PUT_DELAY_MS delays every write, so a test can catch a publisher mid-publish. Prints "listening <port>".
import { createHash, randomBytes } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import S3rver from "s3rver";

const delay = Number(process.env.S3_PUT_DELAY_MS ?? 0);
const server = new S3rver({
  address: "127.0.0.1",
  port: 0,
  directory: process.env.S3_DIR ?? "s3-data",
  silent: true,
  configureBuckets: [{ name: process.env.S3_BUCKET ?? "site" }],
});
if (delay > 0) {
  // s3rver is a Koa app: a middleware of our own, first in line, holds each write back.
  server.middleware.unshift(async (ctx, next) => {
    if (ctx.method === "PUT") await sleep(delay);
    await next();
  });
}
// s3rver writes an object in place (truncate, then stream the body in): a client killed mid-upload leaves
// it empty. S3, R2 and MinIO replace an object whole or not at all, as the publisher's consistency relies
// on: so the body is read whole first (an aborted upload changes nothing), then renamed into place.
const store = server.store;
store.putObject = async (object) => {
  const content = Buffer.isBuffer(object.content) ? object.content : await readWhole(object.content);
  const objectPath = store.getResourcePath(object.bucket, object.key, "object");
  await mkdir(dirname(objectPath), { recursive: true });
  const temp = `${objectPath}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temp, content);
  await rename(temp, objectPath);
  const md5 = createHash("md5").update(content).digest("hex");
  await store.putMetadata(object.bucket, object.key, object.metadata, md5);
  return { size: content.length, md5 };
};

function readWhole(stream) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    stream.on("data", (chunk) => chunks.push(chunk));
    stream.on("error", reject);
    stream.on("aborted", () => reject(new Error("the upload was aborted")));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
  });
}

const { port } = await server.run();
console.log(`listening ${port}`);
process.on("SIGTERM", () => server.close().then(() => process.exit(0)));
