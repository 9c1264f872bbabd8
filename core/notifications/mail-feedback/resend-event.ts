import { z } from "zod";
import { normalizeEmail } from "../../subscribers/email-address.ts";

/** What a provider's report says became of a mail after the provider accepted it. */
export type MailFeedback =
  /** Refused for good by the recipient's server (no such mailbox): the address is quarantined. */
  | { kind: "hard_bounce"; address: string; emailId: string; detail: string }
  /** Refused for now (mailbox full, greylisted): counted, never a quarantine. */
  | { kind: "soft_bounce"; address: string; emailId: string; detail: string }
  /** The recipient marked it as spam: the address is quarantined. */
  | { kind: "complaint"; address: string; emailId: string; detail: string }
  /** Any other event (delivered, opened …): nothing to do. */
  | { kind: "other"; type: string };

/** The part of Resend's webhook payload (`email.bounced`, `email.complained`, `email.delivery_delayed`) Herald reads. */
const resendEvent = z.object({
  type: z.string(),
  data: z
    .object({
      email_id: z.string().optional(),
      to: z.array(z.string()).optional(),
      bounce: z
        .object({ type: z.string().optional(), subType: z.string().optional(), message: z.string().optional() })
        .optional(),
    })
    .optional(),
});

/** `Name <a@b>` or `a@b`, normalized as subscribers' addresses are. */
function addressOf(to: string): string | null {
  const angled = /<([^<>]+)>\s*$/.exec(to);
  return normalizeEmail(angled?.[1] ?? to);
}

/**
 * Reads a verified Resend webhook body. `email.bounced` is a hard bounce unless its `bounce.type` says
 * `Transient` (SES's word for a soft one; Resend passes SES's classification through); a delayed delivery is a soft bounce.
 */
export function resendFeedback(body: string): MailFeedback | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  const parsed = resendEvent.safeParse(json);
  if (!parsed.success) return null;
  const { type, data } = parsed.data;
  const address = data?.to?.[0] ? addressOf(data.to[0]) : null;
  const emailId = data?.email_id ?? "";
  if (!address || !["email.bounced", "email.complained", "email.delivery_delayed"].includes(type))
    return { kind: "other", type };
  const bounce = data?.bounce;
  const detail = [bounce?.type, bounce?.subType, bounce?.message].filter(Boolean).join(": ") || type;
  if (type === "email.complained") return { kind: "complaint", address, emailId, detail: "marked as spam" };
  if (type === "email.delivery_delayed" || /^transient$/i.test(bounce?.type ?? ""))
    return { kind: "soft_bounce", address, emailId, detail };
  return { kind: "hard_bounce", address, emailId, detail };
}
