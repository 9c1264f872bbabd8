import type { ActionContext } from "../actions/context.ts";
import { storedSecret } from "../subscribers/signed-links.ts";

/** What a mailed link lets its holder do once. */
export type PersonLinkPurpose = "invitation" | "sign-in";

const encoder = new TextEncoder();

/**
 * The secret of a mailed link: `<row id>.<HMAC-SHA256 of purpose and id>`, under HERALD_SECRET (or the
 * key kept in the database). The database keeps only its hash, and the mail job carries only the row id:
 * the sender derives the same link, so no usable secret is ever stored.
 */
export async function personLinkToken(
  ctx: Pick<ActionContext, "db" | "clock" | "settings">,
  purpose: PersonLinkPurpose,
  id: string,
): Promise<string> {
  const secret = ctx.settings?.linkSecret || (await storedSecret(ctx.db, ctx.clock));
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const signature = new Uint8Array(
    await crypto.subtle.sign("HMAC", key, encoder.encode(`person-link:${purpose}:${id}`)),
  );
  let binary = "";
  for (const byte of signature) binary += String.fromCharCode(byte);
  return `${id}.${btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`;
}

/** The row id a presented link names (checked against the stored hash by the caller), or null. */
export function linkRowId(token: string): string | null {
  const match = /^([0-9a-z]{12})\.[\w-]{43}$/.exec(token);
  return match?.[1] ?? null;
}
