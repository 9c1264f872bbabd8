import { HeraldError } from "../../actions/errors.ts";
import { getIncident } from "../../incidents/load-incidents.ts";
import type { IncidentRecord } from "../../model/rows.ts";
import type { PublicReads } from "../reads.ts";
import { incidentView, pageInfo } from "./shared.ts";
import type { IncidentPageView } from "./types.ts";

/**
 * One incident's or maintenance's page; null only when there is no such incident. Any other failure (a
 * busy database, a lost connection) is thrown: a 404 would make the renderer delete a live page.
 */
export async function incidentPageView(reads: PublicReads, id: string): Promise<IncidentPageView | null> {
  const [page, record] = await Promise.all([pageInfo(reads), getIncident(reads.db, id).catch(nullIfNotFound)]);
  return record ? { page, incident: incidentView(record) } : null;
}

function nullIfNotFound(error: unknown): IncidentRecord | null {
  if (error instanceof HeraldError && error.kind === "not_found") return null;
  throw error;
}
