/**
 * The few pieces of XML the feeds need. Everything a feed carries goes through `text` or `attribute`,
 * which escape markup and drop the characters XML 1.0 does not allow at all (input validation refuses
 * them too, but a feed must stay well-formed on its own: one bad character breaks it for every reader).
 */

// XML 1.0 §2.2 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF], less the
// C1 controls (and DEL) it discourages. With the `u` flag a lone surrogate is one code point in D800–DFFF,
// so it is matched and removed too.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Removes every character XML 1.0 forbids. */
export function xmlSafe(value: string): string {
  return value.replace(NOT_XML_CHAR, "");
}

/** Character data: markup escaped, forbidden characters removed. */
export function text(value: string): string {
  return xmlSafe(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** An attribute value for double quotes; tab, CR and LF become references so parsers keep them. */
export function attribute(value: string): string {
  return text(value).replace(/"/g, "&quot;").replace(/\t/g, "&#9;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;");
}

export type Attributes = Record<string, string>;

/** `<name a="…">text</name>` on one line; `value` is text, escaped here. */
export function element(name: string, value: string, attributes: Attributes = {}): string {
  return `<${name}${attributeList(attributes)}>${text(value)}</${name}>`;
}

/** `<name a="…"/>` */
export function emptyElement(name: string, attributes: Attributes): string {
  return `<${name}${attributeList(attributes)}/>`;
}

function attributeList(attributes: Attributes): string {
  return Object.entries(attributes)
    .map(([key, value]) => ` ${key}="${attribute(value)}"`)
    .join("");
}
