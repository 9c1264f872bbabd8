export type FieldError = { path: string; message: string };

/** A failure a caller can act on; transports map `kind` to a status code and a problem type. */
export class HeraldError extends Error {
  constructor(
    readonly kind: "invalid" | "not_found" | "forbidden" | "unauthorized" | "conflict" | "rate_limited",
    message: string,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
    this.name = "HeraldError";
  }
}

export function invalid(message: string, fieldErrors: FieldError[] = []): HeraldError {
  return new HeraldError("invalid", message, fieldErrors);
}

export function notFound(message: string): HeraldError {
  return new HeraldError("not_found", message);
}

export function forbidden(message: string): HeraldError {
  return new HeraldError("forbidden", message);
}
