/** Where a rendered release is published, as server/config.ts reads it (HERALD_PUBLISH, S3_*, HERALD_PUBLISH_HOOK). */

/** S3-compatible object storage: Cloudflare R2, AWS S3, MinIO, Backblaze B2. */
export type S3Target = {
  kind: "s3";
  bucket: string;
  /** Key prefix of every object, empty or ending in `/`. */
  prefix: string;
  /** S3_ENDPOINT: the store's API address (R2: `https://<account>.r2.cloudflarestorage.com`); unset: AWS. */
  endpoint: string | undefined;
  region: string;
  /** Unset: the AWS SDK's own chain (AWS_ACCESS_KEY_ID, a profile, an instance role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** S3_FORCE_PATH_STYLE=1: `endpoint/bucket/key` rather than `bucket.endpoint/key` (MinIO, local servers). */
  forcePathStyle: boolean;
};

/** The live release in the data folder (`$HERALD_DATA/site`), served by Herald or synced by hand: the default. */
export type FolderTarget = { kind: "folder" };

export type PublishSettings = {
  target: FolderTarget | S3Target;
  /** HERALD_PUBLISH_HOOK: POSTed after each publish with the paths that changed (a CDN purge, a deploy hook). */
  hookUrl: string | undefined;
};

export const LOCAL_PUBLISH: PublishSettings = { target: { kind: "folder" }, hookUrl: undefined };

/** The target in words, for logs (never the credentials). */
export function describeTarget(target: PublishSettings["target"]): string {
  return target.kind === "s3"
    ? `s3://${target.bucket}/${target.prefix}${target.endpoint ? ` at ${new URL(target.endpoint).host}` : ""}`
    : "the data folder";
}
