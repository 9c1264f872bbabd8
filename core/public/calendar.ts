import { htmlToText } from "../markdown.ts";
import type { IncidentRecord, PageRow } from "../types.ts";

/** `20261126T100000Z` */
function icsTime(iso: string): string {
  return `${iso.slice(0, 19).replace(/[-:]/g, "")}Z`;
}

function escapeText(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
}

/** RFC 5545 §3.1: lines longer than 75 octets are folded with CRLF and a space, never inside a character. */
function fold(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = "";
  for (const char of line) {
    const limit = parts.length === 0 ? 75 : 74;
    if (encoder.encode(current + char).length > limit) {
      parts.push(current);
      current = char;
    } else current += char;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

/**
 * An iCalendar feed of maintenance windows that calendar apps can subscribe to: one event per
 * maintenance with a stable UID, and SEQUENCE raised on every reschedule.
 */
export function maintenanceCalendar(page: PageRow, maintenances: IncidentRecord[]): string {
  const host = new URL(page.url).host;
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Herald//Status page//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(`${page.name}: maintenance`)}`,
    "X-WR-TIMEZONE:UTC",
  ];
  for (const m of maintenances) {
    if (!m.scheduledFor || !m.scheduledUntil) continue;
    const latest = m.updates[0];
    lines.push(
      "BEGIN:VEVENT",
      `UID:${m.id}@${host}`,
      `DTSTAMP:${icsTime(m.updatedAt)}`,
      `LAST-MODIFIED:${icsTime(m.updatedAt)}`,
      `CREATED:${icsTime(m.createdAt)}`,
      `SEQUENCE:${m.sequence}`,
      `DTSTART:${icsTime(m.scheduledFor)}`,
      `DTEND:${icsTime(m.scheduledUntil)}`,
      `SUMMARY:${escapeText(m.name)}`,
      `DESCRIPTION:${escapeText(latest ? htmlToText(latest.bodyHtml) : "")}`,
      `URL:${page.url}/incidents/${m.id}/`,
      "STATUS:CONFIRMED",
      "TRANSP:OPAQUE",
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return `${lines.map(fold).join("\r\n")}\r\n`;
}
