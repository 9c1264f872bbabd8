import { resolve } from "node:path";

export type NodeConfig = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  databaseAuthToken: string | undefined;
  publicUrl: string;
  adminToken: string | undefined;
  pageName: string;
  /** HERALD_FRAME_ANCESTORS: origins allowed to frame the pages (CSP frame-ancestors); none by default. */
  frameAncestors: string[];
  /** HERALD_LOG_RENDERS=1 prints one line per render job: what publishing costs. */
  logRenders: boolean;
};

/** Configuration from the environment, with defaults that run the whole system on one machine. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): NodeConfig {
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not "${env.PORT}".`);
  const dataDir = resolve(env.HERALD_DATA ?? ".herald");
  const adminToken = env.HERALD_ADMIN_TOKEN || undefined;
  if (adminToken !== undefined && adminToken.length < 24) {
    throw new Error("HERALD_ADMIN_TOKEN must be at least 24 characters: it is a password to the whole API.");
  }
  const frameAncestors = (env.HERALD_FRAME_ANCESTORS ?? "").split(/[\s,]+/).filter((s) => s !== "");
  for (const source of frameAncestors) {
    if (!/^('self'|https?:\/\/(\*\.)?[a-z0-9.-]+(:\d+)?)$/i.test(source))
      throw new Error(`HERALD_FRAME_ANCESTORS lists origins like https://example.com or 'self', not "${source}".`);
  }
  return {
    port,
    host: env.HOST ?? "127.0.0.1",
    dataDir,
    databaseUrl: env.DATABASE_URL ?? `file:${resolve(dataDir, "herald.db")}`,
    databaseAuthToken: env.DATABASE_AUTH_TOKEN || undefined,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ""),
    adminToken,
    pageName: env.HERALD_PAGE_NAME ?? "Herald Status",
    frameAncestors,
    logRenders: env.HERALD_LOG_RENDERS === "1",
  };
}
