/**
 * CSV (RFC 4180) for subscriber import and export: a small strict parser and a writer, here rather
 * than a library because core/ runs in workerd too and the writer must neutralise spreadsheet formulas.
 */

/** What ends an unquoted run of a cell. */
const SPECIAL = /[",\r\n]/g;

/** Rows of cells, or why the text is not CSV (an unclosed quote, a quote inside a bare cell). */
export function parseCsv(text: string): { ok: true; rows: string[][] } | { ok: false; line: number; why: string } {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let cellStart = true;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        const next = text[i];
        if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
          return { ok: false, line, why: "text after a closing quote" };
        }
        continue;
      }
      // Up to the next quote at once: a character at a time is slow on a 50,000-row file.
      const quote = text.indexOf('"', i);
      const end = quote === -1 ? text.length : quote;
      const run = text.slice(i, end);
      for (let at = run.indexOf("\n"); at !== -1; at = run.indexOf("\n", at + 1)) line += 1;
      cell += run;
      i = end;
      continue;
    }
    if (ch === '"' && cellStart) {
      quoted = true;
      cellStart = false;
      i += 1;
      continue;
    }
    if (ch === '"') return { ok: false, line, why: "a quote inside an unquoted cell" };
    if (ch === ",") {
      row.push(cell);
      cell = "";
      cellStart = true;
      i += 1;
      continue;
    }
    if (ch === "\r" || ch === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      cellStart = true;
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
      line += 1;
      continue;
    }
    SPECIAL.lastIndex = i;
    const end = SPECIAL.exec(text)?.index ?? text.length;
    cell += text.slice(i, end);
    cellStart = false;
    i = end;
  }
  if (quoted) return { ok: false, line, why: "a quoted cell is never closed" };
  if (!cellStart || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return { ok: true, rows: rows.filter((r) => r.length > 1 || (r[0] ?? "") !== "") };
}

/** Characters that make a spreadsheet read a cell as a formula (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell. A value a spreadsheet would run as a formula gets a leading `'` (and is quoted), so
 * opening an export in Excel or Sheets shows text; `readCell` takes the `'` off again on import.
 */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n']/.test(safe) || safe !== value ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvLine(cells: string[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/** A cell as written by `csvCell`: the `'` that guarded a formula-looking value is removed. */
export function readCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}
