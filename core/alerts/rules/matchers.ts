/**
 * Label matchers in Alertmanager's syntax (docs/alerts.md): `name="value"`, `name!="value"`, `name=~"regex"`,
 * `name!~"regex"`, several per expression separated by commas, optionally in braces; names and values quoted
 * (Go string escapes) or unquoted (any text without the reserved characters). Hand-written because no npm
 * package parses Alertmanager's matchers (PromQL grammars do not take unquoted values or braces-free lists).
 * Regular expressions run on RE2 (re2js, the engine Alertmanager's Go regexp is): linear time whatever the
 * pattern, so commander input run on every alert cannot backtrack catastrophically; anchored on both ends.
 */
import { RE2JS } from "re2js";

export type MatchOperator = "=" | "!=" | "=~" | "!~";

export type Matcher = {
  name: string;
  operator: MatchOperator;
  value: string;
  /** The compiled pattern of a regex matcher (full match). */
  pattern: RE2JS | null;
};

/** A matcher expression that does not parse: the message names the problem and where it is. */
export class MatcherSyntaxError extends Error {}

/** The longest matcher expression (and so the longest pattern) a rule may hold. */
export const MAX_MATCHER_LENGTH = 1000;

const RESERVED = new Set([..." \t\n\r{}!=~,\\\"'`"]);

/** Parses one expression (`{service="api", severity=~"critical|page"}`) into its matchers. */
export function parseMatchers(expression: string): Matcher[] {
  if (expression.length > MAX_MATCHER_LENGTH) {
    throw new MatcherSyntaxError(`is longer than ${MAX_MATCHER_LENGTH} characters`);
  }
  const lexer = new Lexer(expression);
  lexer.skipSpace();
  const braced = lexer.take("{");
  const matchers: Matcher[] = [];
  for (;;) {
    lexer.skipSpace();
    if (lexer.atEnd() || (braced && lexer.peek() === "}")) break;
    matchers.push(parseOne(lexer));
    lexer.skipSpace();
    if (!lexer.take(",")) break;
  }
  lexer.skipSpace();
  if (braced && !lexer.take("}")) throw lexer.error("the closing } is missing");
  lexer.skipSpace();
  if (!braced && lexer.peek() === "}") throw lexer.error("a } without an opening {");
  if (!lexer.atEnd()) throw lexer.error(`unexpected ${JSON.stringify(lexer.peek())}`);
  if (matchers.length === 0) throw new MatcherSyntaxError("names no matcher");
  return matchers;
}

function parseOne(lexer: Lexer): Matcher {
  const name = lexer.literal("a label name");
  lexer.skipSpace();
  const operator = lexer.operator();
  lexer.skipSpace();
  const value = lexer.atEnd() || lexer.peek() === "," || lexer.peek() === "}" ? "" : lexer.literal("a value");
  if (name === "") throw new MatcherSyntaxError("a label name is empty");
  return { name, operator, value, pattern: operator === "=~" || operator === "!~" ? compile(value) : null };
}

function compile(value: string): RE2JS {
  try {
    return RE2JS.compile(value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MatcherSyntaxError(`the regular expression ${JSON.stringify(value)} is not valid: ${reason}`);
  }
}

/** Whether labels satisfy every matcher; a missing label reads as the empty string, as in Alertmanager. */
export function matchesAll(matchers: readonly Matcher[], labels: Readonly<Record<string, string>>): boolean {
  return matchers.every((matcher) =>
    matches(matcher, Object.hasOwn(labels, matcher.name) ? (labels[matcher.name] ?? "") : ""),
  );
}

function matches(matcher: Matcher, value: string): boolean {
  switch (matcher.operator) {
    case "=":
      return value === matcher.value;
    case "!=":
      return value !== matcher.value;
    case "=~":
      return matcher.pattern?.matches(value) ?? false;
    case "!~":
      return !(matcher.pattern?.matches(value) ?? false);
  }
}

/** A matcher written back in the canonical quoted form (`name=~"value"`). */
export function formatMatcher(matcher: Pick<Matcher, "name" | "operator" | "value">): string {
  return `${matcher.name}${matcher.operator}${JSON.stringify(matcher.value)}`;
}

class Lexer {
  private at = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.at >= this.text.length;
  }
  peek(): string {
    return this.text[this.at] ?? "";
  }
  take(char: string): boolean {
    if (this.peek() !== char) return false;
    this.at++;
    return true;
  }
  skipSpace(): void {
    while (/\s/.test(this.peek()) && !this.atEnd()) this.at++;
  }
  error(message: string): MatcherSyntaxError {
    return new MatcherSyntaxError(`${message} at character ${this.at + 1}`);
  }

  operator(): MatchOperator {
    const two = this.text.slice(this.at, this.at + 2);
    if (two === "=~" || two === "!=" || two === "!~") {
      this.at += 2;
      return two;
    }
    if (this.take("=")) return "=";
    throw this.error("expected one of =, !=, =~, !~");
  }

  /** A double-quoted string (Go escapes) or an unquoted run of non-reserved characters. */
  literal(what: string): string {
    if (this.peek() === '"') return this.quoted();
    const start = this.at;
    while (!this.atEnd() && !RESERVED.has(this.peek())) this.at++;
    if (this.at === start) throw this.error(`expected ${what}`);
    return this.text.slice(start, this.at);
  }

  private quoted(): string {
    const open = this.at++;
    const bytes: number[] = [];
    const encoder = new TextEncoder();
    for (;;) {
      if (this.atEnd()) {
        this.at = open;
        throw this.error("a quoted string is not closed");
      }
      const char = this.text[this.at++] ?? "";
      if (char === '"') break;
      if (char !== "\\") {
        const code = this.text.codePointAt(this.at - 1) ?? 0;
        if (code > 0xffff) this.at++;
        bytes.push(...encoder.encode(String.fromCodePoint(code)));
        continue;
      }
      bytes.push(...this.escape(encoder));
    }
    const decoded = new TextDecoder("utf-8", { fatal: true });
    try {
      return decoded.decode(new Uint8Array(bytes));
    } catch {
      this.at = open;
      throw this.error("a quoted string's escapes are not valid UTF-8");
    }
  }

  private escape(encoder: TextEncoder): number[] {
    const char = this.text[this.at++] ?? "";
    const simple: Record<string, string> = {
      n: "\n",
      t: "\t",
      r: "\r",
      '"': '"',
      "\\": "\\",
      a: "\x07",
      b: "\b",
      f: "\f",
      v: "\v",
    };
    const known = simple[char];
    if (known !== undefined) return [...encoder.encode(known)];
    const hex = (length: number) => {
      const digits = this.text.slice(this.at, this.at + length);
      if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(digits))
        throw this.error(`\\${char} needs ${length} hex digits`);
      this.at += length;
      return Number.parseInt(digits, 16);
    };
    if (char === "x") return [hex(2)];
    if (char === "u" || char === "U") {
      const code = hex(char === "u" ? 4 : 8);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw this.error(`\\${char} is not a character`);
      return [...encoder.encode(String.fromCodePoint(code))];
    }
    if (/[0-7]/.test(char)) {
      const digits = char + this.text.slice(this.at, this.at + 2);
      if (!/^[0-7]{3}$/.test(digits)) throw this.error("an octal escape needs 3 digits");
      this.at += 2;
      const value = Number.parseInt(digits, 8);
      if (value > 255) throw this.error("an octal escape is at most \\377");
      return [value];
    }
    throw this.error(`unknown escape \\${char}`);
  }
}
