import { isoBase64URL, isoCBOR } from "@simplewebauthn/server/helpers";

/**
 * A passkey held in software (ES256 through Web Crypto), for tests that cannot drive a browser (the Worker
 * in workerd): it signs assertions as an authenticator does (authenticator data, client data, DER
 * signature). The Chromium tests use a real virtual authenticator instead.
 */
export type SoftwarePasskey = {
  id: string;
  /** The COSE public key, base64url, as `passkeys.public_key` stores it. */
  publicKey: string;
  sign(options: { challenge: string; rpId: string; origin: string; userHandle: string }): Promise<unknown>;
};

export async function softwarePasskey(): Promise<SoftwarePasskey> {
  const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
  const jwk = await crypto.subtle.exportKey("jwk", keys.publicKey);
  const cose = new Map<number, number | Uint8Array>([
    [1, 2], // kty: EC2
    [3, -7], // alg: ES256
    [-1, 1], // crv: P-256
    [-2, isoBase64URL.toBuffer(jwk.x ?? "")],
    [-3, isoBase64URL.toBuffer(jwk.y ?? "")],
  ]);
  const id = isoBase64URL.fromBuffer(crypto.getRandomValues(new Uint8Array(16)));
  let counter = 0;
  return {
    id,
    publicKey: isoBase64URL.fromBuffer(isoCBOR.encode(cose)),
    async sign({ challenge, rpId, origin, userHandle }) {
      counter += 1;
      const rpIdHash = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(rpId)));
      const authenticatorData = new Uint8Array([
        ...rpIdHash,
        0x05, // user present, user verified
        (counter >>> 24) & 0xff,
        (counter >>> 16) & 0xff,
        (counter >>> 8) & 0xff,
        counter & 0xff,
      ]);
      const clientDataJSON = new TextEncoder().encode(JSON.stringify({ type: "webauthn.get", challenge, origin }));
      const clientDataHash = new Uint8Array(await crypto.subtle.digest("SHA-256", clientDataJSON));
      const raw = new Uint8Array(
        await crypto.subtle.sign(
          { name: "ECDSA", hash: "SHA-256" },
          keys.privateKey,
          new Uint8Array([...authenticatorData, ...clientDataHash]),
        ),
      );
      return {
        id,
        rawId: id,
        type: "public-key",
        response: {
          clientDataJSON: isoBase64URL.fromBuffer(clientDataJSON),
          authenticatorData: isoBase64URL.fromBuffer(authenticatorData),
          signature: isoBase64URL.fromBuffer(derSignature(raw)),
          userHandle: isoBase64URL.fromUTF8String(userHandle),
        },
        clientExtensionResults: {},
      };
    },
  };
}

/** Web Crypto signs ECDSA as r‖s; WebAuthn carries an ASN.1 DER SEQUENCE of two INTEGERs. */
function derSignature(raw: Uint8Array): Uint8Array<ArrayBuffer> {
  const integer = (bytes: Uint8Array) => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
    const trimmed = bytes.slice(start);
    const padded = (trimmed[0] ?? 0) & 0x80 ? new Uint8Array([0, ...trimmed]) : trimmed;
    return [0x02, padded.length, ...padded];
  };
  const body = [...integer(raw.slice(0, 32)), ...integer(raw.slice(32))];
  return new Uint8Array([0x30, body.length, ...body]);
}
