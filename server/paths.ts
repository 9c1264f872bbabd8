/** Where Herald finds its own files: from the sources (server/) and from the bundle (dist/) alike. */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PROJECT_ROOT = projectRoot(fileURLToPath(new URL(".", import.meta.url)));
export const MIGRATIONS_DIR = `${PROJECT_ROOT}db/migrations`;
export const SITE_DIST = `${PROJECT_ROOT}site/dist`;
/**
 * The render thread's bundle (server/render-worker.ts), beside dist/herald.mjs (scripts/build.mjs builds both).
 * Run from the sources there is none, and rendering shares the server's thread.
 */
export const RENDER_WORKER = fileURLToPath(new URL("./render-worker.mjs", import.meta.url));
/** The backup thread's bundle (server/backup-worker.ts), likewise; without it backups run on the server's thread. */
export const BACKUP_WORKER = fileURLToPath(new URL("./backup-worker.mjs", import.meta.url));
/** Written by scripts/build.mjs with the site build: the code version a release is stamped with. */
export const BUILD_HASH_FILE = `${PROJECT_ROOT}dist/.build-hash`;

/** The folder holding `db/migrations`: one above the sources (server/) and the bundle (dist/). */
function projectRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, "db", "migrations"))) return `${dir}/`;
  }
  throw new Error(`Herald: no db/migrations folder above ${from}.`);
}
