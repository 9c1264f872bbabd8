import { describe, expect, it } from "vitest";
import { addressSubject } from "../../core/actions/rate-limit.ts";

describe("the client a rate limit counts", () => {
  it("is an IPv4 address as it is, also when the socket reports it IPv4-mapped", () => {
    expect(addressSubject("203.0.113.7")).toBe("203.0.113.7");
    expect(addressSubject("::ffff:203.0.113.7")).toBe("203.0.113.7");
  });

  it("is the /64 of an IPv6 address, since one host usually holds a whole /64", () => {
    expect(addressSubject("2001:db8:0:1::7")).toBe("2001:db8:0:1::/64");
    expect(addressSubject("2001:0db8:0000:0001:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:0:1::/64");
    expect(addressSubject("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressSubject("::1")).toBe("0:0:0:0::/64");
    expect(addressSubject("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  });

  it("is `unknown` when the transport knows no address", () => {
    expect(addressSubject(undefined)).toBe("unknown");
    expect(addressSubject("")).toBe("unknown");
  });
});
