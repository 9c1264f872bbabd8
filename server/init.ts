/** `herald init`: sets up an empty database (local file or remote) for Herald; on a set-up one, only migrates. */
import type { Clock } from "../core/actions/clock.ts";
import { SYSTEM_ACTOR } from "../core/actions/context.ts";
import { getPage, hasPage } from "../core/page/get-page.ts";
import type { CreatedToken } from "../core/tokens/create-token.ts";
import type { NodeConfig } from "./config.ts";
import { connectDatabase, migrateDatabase } from "./database.ts";
import { requireSecretForRemote, setUpPage, verifySecret } from "./setup.ts";

export type InitPage = { name: string; url: string; apiUrl: string | undefined };

export type InitResult = {
  /** False: the database was set up before; this run only brought its schema up to date. */
  created: boolean;
  page: { name: string; url: string; api_url: string | null };
  /** The first admin token, generated now (none with HERALD_ADMIN_TOKEN set, or on a set-up database). */
  adminToken: CreatedToken | null;
};

/**
 * Applies the migrations, then, when the database has no page yet: the page, the stock templates, the first
 * admin token and HERALD_SECRET's check value. No demo data. Running it again is safe.
 */
export async function initHerald(config: NodeConfig, page: InitPage, clock: Clock): Promise<InitResult> {
  requireSecretForRemote(config);
  const db = await connectDatabase(config);
  try {
    const setUpBefore = await hasPage(db);
    await migrateDatabase(db);
    await verifySecret(db, clock, config);
    let adminToken: CreatedToken | null = null;
    if (!setUpBefore) {
      const setup = await setUpPage(
        { db, clock, actor: SYSTEM_ACTOR },
        { name: page.name, url: page.url, keepUrl: false, apiUrl: page.apiUrl },
        config.adminToken,
      );
      adminToken = setup.createdToken;
    }
    const row = await getPage(db);
    return { created: !setUpBefore, page: { name: row.name, url: row.url, api_url: row.apiUrl }, adminToken };
  } finally {
    db.$client.close();
  }
}
