import { describe, expect, it } from "vitest";
import {
  addressFor,
  maskedAddress,
  seesAddresses,
  textFor,
  webhookHost,
} from "../../core/subscribers/address-visibility.ts";

describe("a subscriber's address below admin", () => {
  it("keeps the first letter and the domain of an email address", () => {
    expect(maskedAddress("jane.doe@example.com")).toBe("j•••@example.com");
    expect(maskedAddress("a@b.test")).toBe("a•••@b.test");
    expect(maskedAddress("jane.doe@example.com", "email")).toBe("j•••@example.com");
  });

  it("keeps only the scheme, host and port of a webhook URL: the path, query and any credentials are the secret", () => {
    expect(maskedAddress("https://hooks.slack.com/services/T000/B000/XYZ")).toBe("https://hooks.slack.com/…");
    expect(maskedAddress("https://user:pw@discord.com/api/webhooks/1/abc?wait=true")).toBe("https://discord.com/…");
    expect(maskedAddress("http://hooks.acme.test:8080/in/s3cr3t", "webhook")).toBe("http://hooks.acme.test:8080/…");
    expect(webhookHost("http://hooks.acme.test:8080/in/s3cr3t")).toBe("hooks.acme.test:8080");
  });

  it("hides whatever is neither a parseable URL nor an email address, with one mark", () => {
    expect(maskedAddress("https://")).toBe("•••");
    expect(maskedAddress("not a url", "webhook")).toBe("•••");
    expect(maskedAddress("no address at all")).toBe("•••");
  });

  it("is shown in full to an admin only, for both channels", () => {
    expect(seesAddresses("admin")).toBe(true);
    expect(seesAddresses("commander")).toBe(false);
    expect(seesAddresses("viewer")).toBe(false);
    expect(addressFor("admin", "email", "jane@example.com")).toBe("jane@example.com");
    expect(addressFor("admin", "webhook", "https://hooks.slack.com/services/x")).toBe(
      "https://hooks.slack.com/services/x",
    );
    expect(addressFor("commander", "email", "jane@example.com")).toBe("j•••@example.com");
    expect(addressFor("viewer", "email", "jane@example.com")).toBe("j•••@example.com");
    expect(addressFor("commander", "webhook", "https://hooks.slack.com/services/x")).toBe("https://hooks.slack.com/…");
    expect(addressFor("viewer", "webhook", "https://hooks.slack.com/services/x")).toBe("https://hooks.slack.com/…");
  });

  it("is masked wherever free text quotes it", () => {
    const reply = "550 <jane@example.com>: no such user; POST https://hooks.slack.com/services/x answered 404";
    for (const role of ["viewer", "commander"] as const) {
      expect(textFor(role, reply)).toBe(
        "550 <j•••@example.com>: no such user; POST https://hooks.slack.com/… answered 404",
      );
    }
    expect(textFor("admin", reply)).toBe(reply);
  });

  it("is masked in free text even where the pattern alone would miss it, when the address is known", () => {
    const url = "https://hooks.acme.test/in/a b'c";
    expect(textFor("viewer", `posting to ${url} failed`, [url])).toBe("posting to https://hooks.acme.test/… failed");
  });

  it("masks the same way twice: a masked text stays as it is", () => {
    const masked = "550 <j•••@example.com>: POST https://hooks.slack.com/…";
    expect(textFor("viewer", masked)).toBe(masked);
  });
});
