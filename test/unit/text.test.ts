import { describe, expect, it } from "vitest";
import { forbiddenCharacter, safeText } from "../../core/text/safe-text.ts";

const name = safeText({ max: 10, required: "a name is required" });
const body = safeText({ max: 100, multiline: true });

describe("text fields", () => {
  it("refuse a NUL instead of storing an empty name, and say which character and where", () => {
    const result = name.safeParse("\u0000");
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual([
      "contains U+0000 (a control character) at character 1",
    ]);
  });

  it("store text NFC-normalized, names trimmed", () => {
    expect(name.parse("  Cafe\u0301 ")).toBe("Café");
    expect(body.parse("  indented code\n")).toBe("  indented code\n");
  });

  it("count an emoji as one character", () => {
    expect(name.safeParse("😀".repeat(10)).success).toBe(true);
    expect(name.safeParse("😀".repeat(11)).success).toBe(false);
  });

  it("call a name of only spaces or invisible characters blank", () => {
    for (const blank of ["", "   ", "\u00a0\u3000", "\u200b\u200d\ufeff"]) {
      expect(name.safeParse(blank).error?.issues[0]?.message, JSON.stringify(blank)).toBe("a name is required");
    }
  });

  it("keep names on one line and free of bidirectional overrides; bodies may use both", () => {
    for (const text of ["a\nb", "a\tb", "a\u2028b", "in\u202Efdp.exe", "a\u2066b\u2069"]) {
      expect(forbiddenCharacter(text), JSON.stringify(text)).not.toBeNull();
      expect(forbiddenCharacter(text, { multiline: true }), JSON.stringify(text)).toBeNull();
    }
  });

  it("accept emoji, right-to-left scripts and zero-width joiners", () => {
    for (const text of ["👩🏽‍💻", "🇩🇪", "خادم", "שרת\u200F", "می‌خواهم"]) expect(forbiddenCharacter(text)).toBeNull();
  });

  it("refuse noncharacters and lone surrogates anywhere", () => {
    for (const text of ["\ufffe", "\uffff", "\ufdd0", "\u{10ffff}", "\ud800", "x\udc00"]) {
      expect(forbiddenCharacter(text, { multiline: true }), JSON.stringify(text)).not.toBeNull();
    }
  });
});
