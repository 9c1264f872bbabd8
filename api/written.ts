import type { Context } from "hono";

/** Requests during which a change was committed, so an error page can say truthfully whether one was. */
const written = new WeakSet<Request>();

/** An action context's `onCommit` for this request: notes the write, then wakes the runner. */
export function noteCommits(c: Context, onCommit: (() => void) | undefined): () => void {
  return () => {
    written.add(c.req.raw);
    onCommit?.();
  };
}

/** Whether this request committed a change before it failed. */
export function changeWasSaved(c: Context): boolean {
  return written.has(c.req.raw);
}

/** What an unexpected failure tells the user about their change. */
export function failureMessage(c: Context): string {
  return written.has(c.req.raw)
    ? "Something went wrong on our side after your change was saved: it was made. Reload to see it before trying again."
    : "Something went wrong on our side before anything was saved: nothing was changed.";
}
