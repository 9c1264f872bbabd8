/** An error crossing between threads as its message and stack (structured clone drops AggregateError's list). */
export type ThreadError = { message: string; stack: string | undefined };

export function threadError(error: unknown): ThreadError {
  if (!(error instanceof Error)) return { message: String(error), stack: undefined };
  const causes = error instanceof AggregateError ? error.errors.map((e) => `\n  ${String(e)}`).join("") : "";
  return { message: `${error.message}${causes}`, stack: error.stack };
}

export function fromThreadError(error: ThreadError): Error {
  const rebuilt = new Error(error.message);
  if (error.stack) rebuilt.stack = error.stack;
  return rebuilt;
}
