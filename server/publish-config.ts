/** The publish target and hook from the environment (read once, by config.ts): HERALD_PUBLISH, S3_*, HERALD_PUBLISH_HOOK. */
import type { PublishSettings, S3Target } from "../jobs/publish/settings.ts";

/**
 * `HERALD_PUBLISH=s3://bucket/prefix` (or `S3_BUCKET` with `S3_PREFIX`) publishes to object storage at
 * `S3_ENDPOINT` (unset: AWS) in `S3_REGION` (`auto` by default, as R2 wants), with `S3_ACCESS_KEY_ID` and
 * `S3_SECRET_ACCESS_KEY` (unset: the AWS SDK's own chain); `S3_FORCE_PATH_STYLE=1` for MinIO and local
 * servers. Unset, or `HERALD_PUBLISH=folder`: the data folder only, as always.
 */
export function publishFromEnv(env: NodeJS.ProcessEnv): PublishSettings {
  const hookUrl = env.HERALD_PUBLISH_HOOK || undefined;
  if (hookUrl !== undefined && !isHttpUrl(hookUrl))
    throw new Error("HERALD_PUBLISH_HOOK must be an http:// or https:// URL (it is POSTed after each publish).");
  const publish = env.HERALD_PUBLISH?.trim() || undefined;
  if (!publish || publish === "folder") {
    if (env.S3_BUCKET) return { target: s3Target(env, env.S3_BUCKET, env.S3_PREFIX ?? ""), hookUrl };
    return { target: { kind: "folder" }, hookUrl };
  }
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(publish);
  if (!match)
    throw new Error(`HERALD_PUBLISH is s3://bucket/prefix (object storage) or folder (the default), not "${publish}".`);
  return { target: s3Target(env, match[1] ?? "", match[2] ?? ""), hookUrl };
}

function s3Target(env: NodeJS.ProcessEnv, bucket: string, rawPrefix: string): S3Target {
  const endpoint = env.S3_ENDPOINT || undefined;
  if (endpoint !== undefined && !isHttpUrl(endpoint))
    throw new Error(`S3_ENDPOINT must be the store's http:// or https:// address, not "${endpoint}".`);
  const accessKeyId = env.S3_ACCESS_KEY_ID || undefined;
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY || undefined;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined))
    throw new Error("S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both, or neither (the AWS chain).");
  const trimmed = rawPrefix.replace(/^\/+|\/+$/g, "");
  if (trimmed.split("/").some((part) => part.startsWith(".")))
    throw new Error(`The publish prefix "${rawPrefix}" may not have a part starting with a dot.`);
  return {
    kind: "s3",
    bucket,
    prefix: trimmed ? `${trimmed}/` : "",
    endpoint,
    region: env.S3_REGION || "auto",
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    forcePathStyle: env.S3_FORCE_PATH_STYLE === "1" || env.S3_FORCE_PATH_STYLE === "true",
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}
