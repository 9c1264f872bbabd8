import { readFileSync } from "node:fs";
import { expect } from "vitest";
import type { Problem } from "../../../api/problem.ts";
import type { AlertLogPage } from "../../../core/alerts/sources/alert-log.ts";
import type { IntakeAnswer } from "../../../core/alerts/sources/receive.ts";
import type { AlertSourceWithToken } from "../../../core/alerts/sources/schemas.ts";
import { alerts } from "../../../db/schema.ts";
import type { TestApi } from "../../helpers/api.ts";

/** A sender's documented example payload (test/fixtures/alerts/README.md), as the raw text it publishes. */
export function fixtureText(name: string): string {
  return readFileSync(new URL(`../../fixtures/alerts/${name}`, import.meta.url), "utf8");
}

export async function createSource(api: TestApi, input: Record<string, unknown>): Promise<AlertSourceWithToken> {
  const created = await api.request<AlertSourceWithToken>("POST", "/api/alert-sources", { as: "admin", json: input });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

export type Delivered = { status: number; headers: Headers; body: IntakeAnswer & Problem };

/** A delivery as a monitoring system sends it: raw bytes, its own token, its own headers. */
export async function deliver(
  api: TestApi,
  source: string,
  options: {
    token?: string | null;
    body?: string | Uint8Array<ArrayBuffer>;
    method?: string;
    headers?: Record<string, string>;
  },
): Promise<Delivered> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.body !== undefined && !headers["Content-Type"]) headers["Content-Type"] = "application/json";
  const response = await api.app.request(`/api/intake/${source}`, {
    method: options.method ?? "POST",
    headers,
    body: options.body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

export async function logLines(api: TestApi, query = ""): Promise<AlertLogPage["lines"]> {
  const page = await api.request<AlertLogPage>("GET", `/api/alert-log${query}`, { as: "viewer" });
  expect(page.status).toBe(200);
  return page.body.lines;
}

export async function storedAlerts(api: TestApi) {
  const rows = await api.db.select().from(alerts);
  return rows.sort((a, b) => a.fingerprint.localeCompare(b.fingerprint));
}

/** The tables a refused delivery must leave as they were. */
export async function intakeState(api: TestApi): Promise<string> {
  const client = api.db.$client;
  const tables = ["alerts", "alert_sources", "jobs", "alert_evaluation", "audit_log"];
  const parts = await Promise.all(tables.map((t) => client.execute(`SELECT * FROM ${t} ORDER BY 1`)));
  return JSON.stringify(parts.map((p) => p.rows));
}
