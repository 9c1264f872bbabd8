/** The start-up steps `herald init`, `herald start` and `herald runner` share: one piece, not three copies. */
import type { Clock } from "../core/actions/clock.ts";
import { type ActionContext, SYSTEM_ACTOR } from "../core/actions/context.ts";
import { ensurePage, getPage, hasPage, NOT_INITIALIZED } from "../core/page/get-page.ts";
import { checkSecret, SECRET_MESSAGES } from "../core/setup/secret-check.ts";
import { seedDemoIfEmpty } from "../core/setup/seed-demo.ts";
import { seedStockTemplates } from "../core/templates/seed-stock-templates.ts";
import type { CreatedToken } from "../core/tokens/create-token.ts";
import { ensureAdminToken } from "../core/tokens/ensure-admin-token.ts";
import type { Db } from "../db/client.ts";
import type { NodeConfig } from "./config.ts";
import { connectDatabase, migrateDatabase, openDatabase } from "./database.ts";

/** Herald cannot start on this database as configured; the message says what to do. */
export class SetupError extends Error {
  override name = "SetupError";
}

export type PageSetup = {
  /** The page did not exist: this call created it. */
  pageCreated: boolean;
  /** A first admin token generated now (never HERALD_ADMIN_TOKEN's): its secret is shown once. */
  createdToken: CreatedToken | null;
};

type SecretConfig = Pick<NodeConfig, "linkSecret" | "databaseRemote">;

/** Refuses early (before connecting) when the database is remote and HERALD_SECRET is unset. */
export function requireSecretForRemote(config: SecretConfig): void {
  if (config.databaseRemote && !config.linkSecret) throw new SetupError(SECRET_MESSAGES.missing);
}

/** Compares HERALD_SECRET with the database's check value, recording it when the database has none yet. */
export async function verifySecret(db: Db, clock: Clock, config: SecretConfig): Promise<void> {
  const verdict = await checkSecret(db, clock, config.linkSecret, { required: config.databaseRemote, record: true });
  if (!verdict.ok) throw new SetupError(verdict.message);
}

/**
 * The page (created when missing, its URL and API address kept in step with PUBLIC_URL and PUBLIC_API_URL),
 * the stock templates a new version brings, and an admin token (HERALD_ADMIN_TOKEN's, or a first one).
 */
export async function setUpPage(
  system: ActionContext,
  page: { name: string; url: string; keepUrl: boolean; apiUrl: string | undefined },
  adminToken: string | undefined,
): Promise<PageSetup> {
  const { created } = await ensurePage(system.db, system.clock, page);
  await seedStockTemplates(system);
  const ensured = await ensureAdminToken(system, adminToken);
  if (ensured.revoked.length > 0)
    console.log(
      `Herald: HERALD_ADMIN_TOKEN changed; revoked the token its previous value ensured (${ensured.revoked.join(", ")}).`,
    );
  if (ensured.environmentTokenRevoked)
    console.warn("Herald: HERALD_ADMIN_TOKEN is a revoked token and does not work; set a new value.");
  return { pageCreated: created, createdToken: ensured.generated };
}

/**
 * Opens a database `herald init` set up, migrated and with HERALD_SECRET checked; refuses one it did not set up
 * before changing anything (a runner or a sender never creates the page).
 */
export async function openSetUpDatabase(config: NodeConfig, clock: Clock): Promise<Db> {
  requireSecretForRemote(config);
  const db = await connectDatabase(config);
  try {
    if (!(await hasPage(db))) throw new SetupError(NOT_INITIALIZED);
    await migrateDatabase(db);
    await verifySecret(db, clock, config);
    return db;
  } catch (error) {
    db.$client.close();
    throw error;
  }
}

export type PreparedHerald = PageSetup & {
  db: Db;
  seeded: boolean;
  /** The page's API address (`api_url`); null: the page's origin. */
  apiUrl: string | null;
};

/**
 * Opens the database for a long-running process and sets up the page. The embedded default (`herald start` on
 * a local file) sets up a new database itself, demo components included; anything else (`herald runner`, or
 * any process on a remote database) needs one `herald init` set up (openSetUpDatabase).
 */
export async function prepareHerald(
  config: NodeConfig,
  clock: Clock,
  options: { embedded: boolean },
): Promise<PreparedHerald> {
  const mayCreate = options.embedded && !config.databaseRemote;
  const db = mayCreate ? await openDatabase(config) : await openSetUpDatabase(config, clock);
  try {
    if (mayCreate) await verifySecret(db, clock, config);
    const system: ActionContext = { db, clock, actor: SYSTEM_ACTOR };
    const setup = await setUpPage(
      system,
      { name: config.pageName, url: config.publicUrl, keepUrl: !config.publicUrlSet, apiUrl: config.publicApiUrl },
      config.adminToken,
    );
    const seeded = setup.pageCreated && mayCreate ? await seedDemoIfEmpty(system) : false;
    return { ...setup, db, seeded, apiUrl: (await getPage(db)).apiUrl };
  } catch (error) {
    db.$client.close();
    throw error;
  }
}
