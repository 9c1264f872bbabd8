import { parseMinutes, UsageError } from "./command.ts";

/** An ISO time with its zone (what the API takes), or `now+2h`-style offsets from now. */
export function parseTime(text: string, option: string, now = new Date()): string {
  const relative = /^now\+(.+)$/i.exec(text.trim());
  if (relative?.[1]) return new Date(now.getTime() + parseMinutes(relative[1], option) * 60_000).toISOString();
  if (!/(Z|[+-]\d\d:?\d\d)$/i.test(text.trim()) || Number.isNaN(Date.parse(text))) {
    throw new UsageError(
      `--${option} takes an ISO time with its zone, like 2026-12-01T02:00:00Z, or now+2h (got "${text}").`,
    );
  }
  return text.trim();
}
