import type { IncidentRecord, PageRow } from "../model/rows.ts";
import { htmlToText } from "../text/markdown.ts";
import { paths, publicUrl } from "./paths.ts";

/** `20261126T100000Z` */
function icsTime(iso: string): string {
  return `${iso.slice(0, 19).replace(/[-:]/g, "")}Z`;
}

// RFC 5545 §3.3.11: TEXT may hold tab but no other control character (nor the non-characters); line breaks
// are written as `\n`.
const NOT_TEXT_CHAR = /[^\t\r\n\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** A TEXT value: `\`, `;` and `,` escaped, every kind of line break as `\n`, control characters removed. */
export function icsText(text: string): string {
  return text
    .replace(NOT_TEXT_CHAR, "")
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

/** A value that is not TEXT (ids, URLs, times): it has no line breaks or control characters either. */
function icsValue(value: string): string {
  return value.replace(NOT_TEXT_CHAR, "").replace(/[\r\n\t]/g, "");
}

/**
 * RFC 5545 §3.1: lines longer than 75 octets are folded with CRLF and a space, never inside a UTF-8
 * sequence (nor between the halves of a surrogate pair: the loop walks code points).
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = utf8Length(char);
    // Continuation lines start with the space that folding adds, so they carry 74 octets of content.
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = "";
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

function utf8Length(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
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
    `X-WR-CALNAME:${icsText(`${page.name}: maintenance`)}`,
    "X-WR-TIMEZONE:UTC",
  ];
  for (const m of maintenances) {
    if (!m.scheduledFor || !m.scheduledUntil) continue;
    const latest = m.updates[0];
    lines.push(
      "BEGIN:VEVENT",
      `UID:${icsValue(`${m.id}@${host}`)}`,
      `DTSTAMP:${icsTime(m.updatedAt)}`,
      `LAST-MODIFIED:${icsTime(m.updatedAt)}`,
      `CREATED:${icsTime(m.createdAt)}`,
      `SEQUENCE:${m.sequence}`,
      `DTSTART:${icsTime(m.scheduledFor)}`,
      `DTEND:${icsTime(m.scheduledUntil)}`,
      `SUMMARY:${icsText(m.name)}`,
      `DESCRIPTION:${icsText(latest ? htmlToText(latest.bodyHtml) : "")}`,
      `URL:${icsValue(publicUrl(page, paths.incident(m.id)))}`,
      m.cancelledAt ? "STATUS:CANCELLED" : "STATUS:CONFIRMED",
      "TRANSP:OPAQUE",
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}
