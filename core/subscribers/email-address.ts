import { z } from "zod";
import { forbiddenCharacter } from "../text/safe-text.ts";

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

/** The schema of every email address field (subscribers, webhook owners): validated, then normalized. */
export const emailAddress = z
  .string()
  .check((ctx) => {
    const problem =
      forbiddenCharacter(ctx.value) ??
      (ctx.value.trim() === ""
        ? "an email address is required"
        : normalizeEmail(ctx.value) === null
          ? "not an email address, like name@example.com"
          : null);
    if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
  })
  .transform((value) => normalizeEmail(value) ?? value)
  .meta({ format: "email" });
