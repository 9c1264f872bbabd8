import { createHmac } from "node:crypto";
import type { HmacSha256 } from "../../core/subscribers/signed-links.ts";

/** Node's synchronous HMAC-SHA256, for signing the links of a fan-out's mails. */
export const nodeHmac: HmacSha256 = (secret, data) => createHmac("sha256", secret).update(data).digest();
