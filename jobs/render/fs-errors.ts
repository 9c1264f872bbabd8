/** Whether a file-system error is the one named by `code` (`ENOENT`, `EINVAL`, …). */
export function isCode(error: unknown, code: string): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === code;
}
