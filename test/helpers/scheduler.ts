import { expect } from "vitest";
import type { TestApi } from "./api.ts";

/** The test clock's start, and a time that many minutes after it. */
export const T0 = "2026-11-26T10:00:00.000Z";
export const minutesAfterT0 = (minutes: number) => new Date(new Date(T0).getTime() + minutes * 60_000).toISOString();

/** A request that must succeed (as a commander); its parsed body. */
export function succeeding(api: () => TestApi) {
  return async <T>(method: string, path: string, json?: unknown): Promise<T> => {
    const response = await api().request<T>(method, path, { json });
    expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
    return response.body;
  };
}

/** What the public v2 documents say (incidents, summary, unresolved), as one text to search. */
export async function publicV2Text(api: TestApi): Promise<string> {
  const paths = ["/api/v2/incidents.json", "/api/v2/summary.json", "/api/v2/incidents/unresolved.json"];
  const bodies = await Promise.all(paths.map((p) => api.request("GET", p, { as: null })));
  return bodies.map((b) => JSON.stringify(b.body)).join("\n");
}
