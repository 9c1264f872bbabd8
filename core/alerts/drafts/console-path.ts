/** The console screen where a person reviews and publishes a draft (served under PUBLIC_URL, as the console is). */
export function consoleDraftPath(draftId: string): string {
  return `/admin/alerts/drafts/${encodeURIComponent(draftId)}`;
}
