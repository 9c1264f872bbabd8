import { z } from "zod";

const EMAIL = z.email();

/**
 * An email address as Herald stores it: trimmed, NFC, lower case (mail systems treat local parts
 * case-insensitively in practice, and one person must not subscribe twice by capitalising), at most 254
 * characters (RFC 5321). Null when it is not an address.
 */
export function normalizeEmail(raw: string): string | null {
  const address = raw.trim().normalize("NFC").toLowerCase();
  if (address.length > 254 || !EMAIL.safeParse(address).success) return null;
  return address;
}

/** The schema of an email address field: validated, then normalized. */
export const emailAddress = z
  .string()
  .check((ctx) => {
    if (normalizeEmail(ctx.value) === null) {
      ctx.issues.push({ code: "custom", message: "must be an email address, e.g. ops@example.com", input: ctx.value });
    }
  })
  .transform((value) => normalizeEmail(value) ?? value)
  .meta({ format: "email" });
