import { describe, expect, it } from "vitest";
import { addressFor, maskedAddress, textFor } from "../../core/subscribers/masked-address.ts";

describe("a subscriber's address below admin", () => {
  it("keeps the first letter and the domain of an email address", () => {
    expect(maskedAddress("jane.doe@example.com")).toBe("j•••@example.com");
    expect(maskedAddress("a@b.test")).toBe("a•••@b.test");
  });

  it("keeps only the scheme and host of a webhook URL: the path, query and any credentials are the secret", () => {
    expect(maskedAddress("https://hooks.slack.com/services/T000/B000/XYZ")).toBe("https://hooks.slack.com/…");
    expect(maskedAddress("https://user:pw@discord.com/api/webhooks/1/abc?wait=true")).toBe("https://discord.com/…");
    expect(maskedAddress("https://")).toBe("•••");
    expect(maskedAddress("no address at all")).toBe("•••");
  });

  it("is shown in full to an admin only", () => {
    expect(addressFor("admin", "jane@example.com")).toBe("jane@example.com");
    expect(addressFor("commander", "jane@example.com")).toBe("j•••@example.com");
    expect(addressFor("viewer", "https://hooks.slack.com/services/x")).toBe("https://hooks.slack.com/…");
  });

  it("is masked wherever free text quotes it", () => {
    const reply = "550 <jane@example.com>: no such user; POST https://hooks.slack.com/services/x answered 404";
    expect(textFor("viewer", reply)).toBe(
      "550 <j•••@example.com>: no such user; POST https://hooks.slack.com/… answered 404",
    );
    expect(textFor("admin", reply)).toBe(reply);
  });
});
