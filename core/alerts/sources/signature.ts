/**
 * PagerDuty's webhook signature (developer.pagerduty.com, "Verifying Signatures"): `X-PagerDuty-Signature`
 * holds one or more `v1=<hex>` (comma-separated while a secret rotates), each the HMAC-SHA256 of the raw
 * body under a signing secret. Web Crypto, so it runs in workerd too.
 */
export async function pagerDutySignatureValid(
  secret: string,
  body: Uint8Array<ArrayBuffer>,
  header: string | null | undefined,
): Promise<boolean> {
  if (!header) return false;
  const given = header
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.startsWith("v1="))
    .map((part) => part.slice(3).toLowerCase());
  if (given.length === 0) return false;
  const expected = await hmacHex(secret, body);
  let valid = false;
  // Every candidate is compared in full: the time taken says nothing about which one matched, or how far.
  for (const candidate of given) valid = sameText(candidate, expected) || valid;
  return valid;
}

export async function hmacHex(secret: string, body: Uint8Array<ArrayBuffer>): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, body));
  return [...mac].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Constant-time for equal lengths (a hex digest's length is public). */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
