import type { FieldError } from "../../actions/errors.ts";

/** Why a delivery was refused, as the problem the API answers (its status is the problem's). */
export type RefusalKind =
  | "malformed"
  | "invalid"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "too_large"
  | "method"
  | "rate_limited";

export const REFUSAL_STATUS: Record<RefusalKind, number> = {
  malformed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method: 405,
  too_large: 413,
  invalid: 422,
  rate_limited: 429,
};

export type Refusal = {
  outcome: "refused";
  kind: RefusalKind;
  detail: string;
  fieldErrors: FieldError[];
  /** For `rate_limited`: seconds until the source's window ends. */
  retryAfterSeconds?: number | undefined;
};

export function refusal(kind: RefusalKind, detail: string, fieldErrors: FieldError[] = []): Refusal {
  return { outcome: "refused", kind, detail, fieldErrors };
}
