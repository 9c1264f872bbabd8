// C0 and C1 controls and DEL: none may reach a mail, least of all a header (CR/LF would start a new one).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above, but line breaks and tabs stay.
const CONTROLS_BUT_BREAKS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** Bidirectional overrides and isolates: in a subject they can make a name read backwards. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/** One line for a header: every control character (CR and LF included) becomes a space, runs of space one. */
export function headerText(value: string): string {
  return value.replace(CONTROLS, " ").replace(BIDI_CONTROLS, "").replace(/\s+/g, " ").trim();
}

/** A mail body with no control characters but its line breaks (CRLF and CR become LF). */
export function bodyText(value: string): string {
  return value.replace(/\r\n?/g, "\n").replace(/\t/g, " ").replace(CONTROLS_BUT_BREAKS, "");
}

/** An address for From/To: only what an address may hold; anything after a line break is dropped. */
export function headerAddress(value: string): string {
  return (value.split(/[\r\n]/)[0] ?? "").replace(CONTROLS, "").replace(/[\s<>,;"]/g, "");
}

/** A display name inside a structured header (List-Id): quoted when it holds anything but atoms and spaces. */
export function headerPhrase(value: string): string {
  const text = headerText(value);
  if (/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]*$/.test(text)) return text;
  return `"${text.replace(/[\\"]/g, "\\$&")}"`;
}
