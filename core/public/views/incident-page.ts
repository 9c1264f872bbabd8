import { getIncident } from "../../incidents/load-incidents.ts";
import type { PublicReads } from "../reads.ts";
import { incidentView, pageInfo } from "./shared.ts";
import type { IncidentPageView } from "./types.ts";

/** One incident's or maintenance's page; null when there is no such incident. */
export async function incidentPageView(reads: PublicReads, id: string): Promise<IncidentPageView | null> {
  try {
    const [page, record] = await Promise.all([pageInfo(reads), getIncident(reads.db, id)]);
    return { page, incident: incidentView(record) };
  } catch {
    return null;
  }
}
