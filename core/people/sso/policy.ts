import type { Db } from "../../../db/client.ts";
import { page } from "../../../db/schema.ts";
import type { SsoPolicy } from "./access.ts";

/** The page's single sign-on settings; no page yet: nobody new gets an account. */
export async function readSsoPolicy(db: Db): Promise<SsoPolicy> {
  const [row] = await db.select({ domains: page.ssoDomains, defaultRole: page.ssoDefaultRole }).from(page).limit(1);
  return row ?? { domains: [], defaultRole: "viewer" };
}
