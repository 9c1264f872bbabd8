import type { AlertSeverity } from "../../../db/enums.ts";
import { isReservedKey } from "../../actions/own-keys.ts";
import { forbiddenCharacter } from "../../text/safe-text.ts";

/**
 * A sender's text as Herald keeps it: characters `safeText` refuses are dropped (a monitoring system's
 * payload is not refused over a stray control character, but none reaches a page, a mail or the console),
 * NFC-normalized, trimmed and cut to `max` characters.
 */
export function cleanText(value: string, max: number, { multiline = false } = {}): string {
  const kept =
    forbiddenCharacter(value, { multiline }) === null
      ? value
      : [...value].filter((character) => forbiddenCharacter(character, { multiline }) === null).join("");
  const characters = [...kept.normalize("NFC").trim()];
  return characters.length > max ? `${characters.slice(0, max - 1).join("")}…` : characters.join("");
}

const MAX_ENTRIES = 64;

/** A label or annotation map: string values only (numbers and booleans as text), keys sorted, bounded. */
export function cleanMap(
  value: Record<string, unknown> | undefined | null,
  { maxValue, multiline = false }: { maxValue: number; multiline?: boolean },
): Record<string, string> {
  const entries: [string, string][] = [];
  for (const [rawKey, rawValue] of Object.entries(value ?? {})) {
    if (entries.length >= MAX_ENTRIES) break;
    const key = cleanText(rawKey, 100);
    const text = typeof rawValue === "string" ? rawValue : scalarText(rawValue);
    if (key === "" || isReservedKey(key) || text === null) continue;
    entries.push([key, cleanText(text, maxValue, { multiline })]);
  }
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}

function scalarText(value: unknown): string | null {
  return typeof value === "number" || typeof value === "boolean" ? String(value) : null;
}

export const cleanLabels = (labels: Record<string, unknown> | undefined | null) => cleanMap(labels, { maxValue: 500 });
export const cleanAnnotations = (annotations: Record<string, unknown> | undefined | null) =>
  cleanMap(annotations, { maxValue: 4000, multiline: true });

/** Only an http(s) link is kept (it is shown as a link in the console); anything else is dropped. */
export function cleanUrl(value: unknown): string | null {
  if (typeof value !== "string" || value.trim() === "") return null;
  const text = cleanText(value, 2000);
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

/** A time the sender gives, as ISO 8601 UTC; Alertmanager's zero time (`0001-01-01…`) and nonsense are null. */
export function cleanTime(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const at = Date.parse(value);
  if (Number.isNaN(at) || new Date(at).getUTCFullYear() < 1970) return null;
  return new Date(at).toISOString();
}

/** The usual words for severity in Prometheus rules and elsewhere, mapped to Herald's three; null when unknown. */
export function severityOf(value: string | undefined): AlertSeverity | null {
  const word = value?.trim().toLowerCase();
  if (!word) return null;
  if (["critical", "crit", "page", "error", "high", "fatal", "emergency", "disaster", "p1"].includes(word)) {
    return "critical";
  }
  if (["warning", "warn", "major", "minor", "medium", "average", "p2", "p3"].includes(word)) return "warning";
  if (["info", "information", "informational", "low", "none", "notice", "ok", "p4", "p5"].includes(word)) {
    return "info";
  }
  return null;
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;
/** Alertmanager's separator byte between label names and values (model.SeparatorByte). */
const SEPARATOR = 255;

/**
 * The fingerprint of a label set when the sender gives none, computed as Alertmanager computes its own
 * (FNV-1a 64 over the sorted names and values, each followed by byte 255; 16 hex digits): the same labels
 * always give the same fingerprint, so a resolve finds its firing.
 */
export function labelsFingerprint(labels: Record<string, string>): string {
  let hash = FNV_OFFSET;
  const add = (byte: number) => {
    hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK;
  };
  const encoder = new TextEncoder();
  for (const name of Object.keys(labels).sort()) {
    for (const byte of encoder.encode(name)) add(byte);
    add(SEPARATOR);
    for (const byte of encoder.encode(labels[name] ?? "")) add(byte);
    add(SEPARATOR);
  }
  return hash.toString(16).padStart(16, "0");
}
