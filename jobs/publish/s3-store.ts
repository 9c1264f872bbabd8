/**
 * An S3-compatible bucket through the AWS SDK's S3 client (the most used and kept S3 client; R2, MinIO
 * and B2 document it as theirs too). Checksums only where an operation requires them: the SDK's default
 * CRC32 trailers are not understood by every S3-compatible store, and each upload carries Content-MD5.
 */
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { NOTE_FILE, type ObjectStore, type StoredObject } from "./object-store.ts";
import type { S3Target } from "./settings.ts";

/** DeleteObjects takes at most 1,000 keys. */
const DELETE_BATCH = 1000;

export function createS3Store(target: S3Target): ObjectStore {
  const client = new S3Client({
    region: target.region,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    forcePathStyle: target.forcePathStyle,
    ...(target.credentials ? { credentials: target.credentials } : {}),
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: 3,
  });
  const { bucket, prefix } = target;

  return {
    async list() {
      const objects = new Map<string, StoredObject>();
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) {
          if (object.Key?.startsWith(prefix)) objects.set(object.Key.slice(prefix.length), { etag: object.ETag ?? "" });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return objects;
    },

    async put(file, bytes, headers) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: prefix + file,
          Body: bytes,
          ContentType: headers.contentType,
          CacheControl: headers.cacheControl,
          ContentMD5: Buffer.from(headers.md5, "hex").toString("base64"),
        }),
      );
    },

    async delete(files) {
      for (let i = 0; i < files.length; i += DELETE_BATCH) {
        const keys = files.slice(i, i + DELETE_BATCH).map((file) => ({ Key: prefix + file }));
        const answer = await client.send(
          new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }),
        );
        const failed = answer.Errors ?? [];
        if (failed.length > 0)
          throw new Error(`The bucket refused to delete ${failed.length} object(s): ${failed[0]?.Code ?? "?"}.`);
      }
    },

    async readNote() {
      try {
        const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: prefix + NOTE_FILE }));
        return (await answer.Body?.transformToString()) ?? null;
      } catch (error) {
        if (error instanceof NoSuchKey) return null;
        throw error;
      }
    },

    async writeNote(text) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: prefix + NOTE_FILE,
          Body: text,
          ContentType: "application/json",
          CacheControl: "no-store",
        }),
      );
    },

    close: () => client.destroy(),
  };
}
