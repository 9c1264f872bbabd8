/** The Worker's half of the HERALD_SECRET check: it signs and verifies subscriber links, so it must share the secret. */
import { systemClock } from "../core/actions/clock.ts";
import { checkSecret } from "../core/setup/secret-check.ts";
import type { Db } from "../db/client.ts";

export type SecretGate = {
  /** Why this Worker must not serve (its HERALD_SECRET is missing or not the database's), or null. */
  refusal(db: Db, secret: string | undefined): Promise<string | null>;
};

/** A database without a check value yet (set up before there was one) is looked at again after this long. */
const UNRECORDED_RECHECK_MS = 60_000;

/**
 * Compares HERALD_SECRET with the check value `herald init` recorded, once per isolate and secret when they
 * agree; a refusal is checked again on the next request, so fixing the secret needs no redeploy of the code.
 * A database it cannot read yet is let through: the app answers for that itself.
 */
export function secretGate(): SecretGate {
  const agreedUntil = new Map<string, number>();
  return {
    async refusal(db, secret) {
      if (secret && (agreedUntil.get(secret) ?? 0) > Date.now()) return null;
      try {
        const verdict = await checkSecret(db, systemClock, secret, { required: true, record: false });
        if (!verdict.ok) return verdict.message;
        if (secret)
          agreedUntil.set(secret, verdict.recorded ? Number.POSITIVE_INFINITY : Date.now() + UNRECORDED_RECHECK_MS);
        return null;
      } catch {
        return null;
      }
    },
  };
}

/** The 503 problem every request gets while the secret is wrong: nothing is served or written with it. */
export function secretProblem(request: Request, detail: string): Response {
  const body = {
    type: "/problems/herald-secret-mismatch",
    title: "Herald is misconfigured",
    status: 503,
    detail,
    instance: new URL(request.url).pathname,
  };
  return new Response(JSON.stringify(body), {
    status: 503,
    headers: { "Content-Type": "application/problem+json; charset=utf-8", "Cache-Control": "no-store" },
  });
}
