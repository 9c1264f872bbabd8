// A real S3-compatible server in its own process (the s3rver package), for tests and benchmarks. Serves
// the bucket S3_BUCKET (default "site") with its objects under S3_DIR, on 127.0.0.1 at a free port;
// S3_PUT_DELAY_MS delays every write, so a test can catch a publisher mid-publish. Prints "listening <port>".
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
const { port } = await server.run();
console.log(`listening ${port}`);
process.on("SIGTERM", () => server.close().then(() => process.exit(0)));
