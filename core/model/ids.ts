const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/** A random 12-character lowercase base36 id, the form Statuspage uses. */
export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  let id = "";
  for (const byte of bytes) id += ALPHABET[byte % 36];
  return id;
}

export const ID_PATTERN = /^[0-9a-z]{12}$/;
