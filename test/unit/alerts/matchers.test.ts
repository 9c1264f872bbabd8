import { describe, expect, it } from "vitest";
import { MatcherSyntaxError, matchesAll, parseMatchers } from "../../../core/alerts/rules/matchers.ts";

const plain = (expression: string) =>
  parseMatchers(expression).map(({ name, operator, value }) => ({ name, operator, value }));

describe("matchers in Alertmanager's syntax", () => {
  it("reads the examples from Alertmanager's configuration docs", () => {
    expect(plain('{alertname="Watchdog", severity=~"warning|critical"}')).toEqual([
      { name: "alertname", operator: "=", value: "Watchdog" },
      { name: "severity", operator: "=~", value: "warning|critical" },
    ]);
    expect(plain('{alertname="Watchdog", severity=~"warning|critical",}')).toEqual(
      plain('alertname="Watchdog", severity=~"warning|critical"'),
    );
    expect(plain('{\n   alertname = "Watchdog",\n   severity =~ "warning|critical",\n}')).toEqual(
      plain('{alertname="Watchdog",severity=~"warning|critical"}'),
    );
    expect(plain("alertname = Watchdog")).toEqual([{ name: "alertname", operator: "=", value: "Watchdog" }]);
    expect(plain("dings != bums")).toEqual([{ name: "dings", operator: "!=", value: "bums" }]);
    expect(plain('foo = "bar,baz"')).toEqual([{ name: "foo", operator: "=", value: "bar,baz" }]);
    expect(plain('{foo="bar", dings!="bums"}')).toHaveLength(2);
    expect(plain('{quote=~"She said: \\"Hi, all!( How\'re you…)?\\""}')).toEqual([
      { name: "quote", operator: "=~", value: 'She said: "Hi, all!( How\'re you…)?"' },
    ]);
    expect(plain("service=~[a-zA-Z]+")).toEqual([{ name: "service", operator: "=~", value: "[a-zA-Z]+" }]);
    expect(plain("name=Προμηθεύς")).toEqual([{ name: "name", operator: "=", value: "Προμηθεύς" }]);
    expect(plain('digits=~"\\\\d+"')).toEqual([{ name: "digits", operator: "=~", value: "\\d+" }]);
    expect(plain('smile="\\xf0\\x9f\\x99\\x82"')).toEqual([{ name: "smile", operator: "=", value: "🙂" }]);
    expect(plain('empty=""')).toEqual([{ name: "empty", operator: "=", value: "" }]);
  });

  it("refuses what Alertmanager refuses, saying why", () => {
    const refusal = (expression: string) => {
      try {
        parseMatchers(expression);
      } catch (error) {
        expect(error).toBeInstanceOf(MatcherSyntaxError);
        return (error as Error).message;
      }
      throw new Error(`${expression} parsed`);
    };
    expect(refusal('{alertname="Watchdog", severity=~"warning|critical"')).toMatch(/closing } is missing/);
    expect(refusal('alertname="Watchdog", severity=~"warning|critical"}')).toMatch(/} without an opening {/);
    expect(refusal('{{alertname="Watchdog"}}')).toMatch(/expected a label name/);
    expect(refusal("foo!")).toMatch(/expected one of =, !=, =~, !~/);
    expect(refusal('foo="bar')).toMatch(/not closed/);
    expect(refusal('foo=~"(unclosed"')).toMatch(/regular expression "\(unclosed" is not valid/);
    expect(refusal("")).toMatch(/names no matcher/);
    expect(refusal(`x=~"${"a".repeat(1000)}"`)).toMatch(/longer than 1000/);
    expect(refusal('x="\\q"')).toMatch(/unknown escape/);
  });

  it("matches labels as Alertmanager does: regexes anchored, a missing label is empty", () => {
    const labels = { foo: "bar", baz: "qux", id: "12" };
    const match = (expression: string) => matchesAll(parseMatchers(expression), labels);
    expect(match("foo=bar")).toBe(true);
    expect(match("foo!=bar")).toBe(false);
    expect(match("id=~[0-9]+")).toBe(true);
    expect(match('baz=~"q"')).toBe(false);
    expect(match('baz=~"q.*"')).toBe(true);
    expect(match('baz!~"q.*"')).toBe(false);
    expect(match('missing=""')).toBe(true);
    expect(match('missing!="x"')).toBe(true);
    expect(match('missing=~".+"')).toBe(false);
    expect(match("foo=bar, baz=nope")).toBe(false);
  });

  it("runs a pattern that backtracks catastrophically in JavaScript in linear time", () => {
    const evil = parseMatchers('x=~"(a+)+$"');
    const started = performance.now();
    expect(matchesAll(evil, { x: `${"a".repeat(50_000)}!` })).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
