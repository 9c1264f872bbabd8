/** The console screen of an incident or maintenance, where its commander posts (served under PUBLIC_URL). */
export function consoleIncidentPath(incidentId: string): string {
  return `/admin/incidents/${incidentId}`;
}
