import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { bundlePasskeyScript, PASSKEY_BUNDLE } from "../../scripts/bundle-passkey-script.mjs";

describe("the console's passkey script", () => {
  it("is bundled as written (run `npm run passkey-script` after editing it or upgrading @simplewebauthn/browser)", async () => {
    expect(await readFile(PASSKEY_BUNDLE, "utf8")).toBe(await bundlePasskeyScript());
  });
});
