const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A new secret: `hrld_` and 40 random base62 characters (~238 bits). Shown once, stored only hashed. */
export function newTokenSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(40));
  let secret = "hrld_";
  for (const byte of bytes) secret += ALPHABET[byte % ALPHABET.length];
  return secret;
}

/** SHA-256 is enough for high-entropy random secrets: there is nothing to brute-force. */
export async function hashToken(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
