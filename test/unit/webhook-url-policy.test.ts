import { describe, expect, it } from "vitest";
import { isPublicAddress, webhookUrlPolicy, webhookUrlProblem } from "../../core/webhooks/url-policy.ts";
import { loadConfig } from "../../server/config.ts";

const strict = { allowPrivate: false };
const lab = { allowPrivate: true };

describe("where a webhook may point", () => {
  it("accepts public http(s) URLs on the web's usual ports", () => {
    for (const url of [
      "https://hooks.slack.com/services/T000/B000/XXXX",
      "https://discord.com/api/webhooks/1/abc",
      "http://example.com:8080/hook",
      "https://203.0.114.7:8443/hook",
      "https://[2606:4700::1111]/hook",
    ]) {
      expect(webhookUrlProblem(url, strict), url).toBeNull();
    }
  });

  it.each([
    ["http://127.0.0.1/hook", "loopback"],
    ["http://127.1/hook", "loopback"],
    ["http://2130706433/hook", "loopback"],
    ["http://0x7f000001/hook", "loopback"],
    ["http://10.1.2.3/hook", "private"],
    ["http://172.16.0.1/hook", "private"],
    ["http://192.168.1.1/hook", "private"],
    ["http://169.254.169.254/latest/meta-data", "private"],
    ["http://100.64.0.1/hook", "private"],
    ["http://0.0.0.0/hook", "private"],
    ["http://224.0.0.1/hook", "private"],
    ["http://[::1]/hook", "private"],
    ["http://[::]/hook", "private"],
    ["http://[fe80::1]/hook", "private"],
    ["http://[fd00::1]/hook", "private"],
    ["http://[ff02::1]/hook", "private"],
    ["http://[::ffff:127.0.0.1]/hook", "private"],
    ["http://[::ffff:10.0.0.1]/hook", "private"],
    ["http://[64:ff9b::a9fe:a9fe]/hook", "private"],
    ["http://localhost/hook", "loopback name"],
    ["http://localhost./hook", "loopback name"],
    ["http://api.localhost/hook", "loopback name"],
    ["http://user:pass@example.com/hook", "user name or password"],
    ["http://token@example.com/hook", "user name or password"],
    ["file:///etc/passwd", "only http and https"],
    ["gopher://example.com/", "only http and https"],
    ["ftp://example.com/", "only http and https"],
    ["javascript:alert(1)", "only http and https"],
    ["https://example.com:25/hook", "port 25"],
    ["https://example.com:6379/hook", "port 6379"],
    ["not a url", "not a URL"],
  ])("refuses %s (%s)", (url, why) => {
    expect(webhookUrlProblem(url, strict)).toContain(why);
  });

  it("allows loopback, private addresses and any port only with HERALD_ALLOW_PRIVATE_WEBHOOKS=1", () => {
    expect(webhookUrlProblem("http://127.0.0.1:39123/hook", lab)).toBeNull();
    expect(webhookUrlProblem("http://10.0.0.5/hook", lab)).toBeNull();
    // Scheme and credentials rules hold even then.
    expect(webhookUrlProblem("file:///etc/passwd", lab)).toContain("only http and https");
    expect(webhookUrlProblem("http://u:p@127.0.0.1/", lab)).toContain("password");
  });

  it("takes HERALD_ALLOW_PRIVATE_WEBHOOKS from the configuration read at start, and refuses private targets without it", () => {
    expect(webhookUrlPolicy(loadConfig({ HERALD_ALLOW_PRIVATE_WEBHOOKS: "1" }).settings)).toEqual(lab);
    expect(webhookUrlPolicy(loadConfig({ HERALD_ALLOW_PRIVATE_WEBHOOKS: "yes" }).settings)).toEqual(strict);
    expect(webhookUrlPolicy(loadConfig({}).settings)).toEqual(strict);
    expect(webhookUrlPolicy(undefined)).toEqual(strict);
  });

  it("tells public addresses from reserved ones as DNS answers arrive", () => {
    expect(isPublicAddress("93.184.215.14")).toBe(true);
    expect(isPublicAddress("2606:4700:4700::1111")).toBe(true);
    expect(isPublicAddress("::ffff:93.184.215.14")).toBe(true);
    for (const address of [
      "127.0.0.1",
      "10.0.0.1",
      "169.254.169.254",
      "::1",
      "::ffff:192.168.0.1",
      "fc00::1",
      "2001:db8::1",
      "198.18.0.1",
      "garbage",
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });
});
