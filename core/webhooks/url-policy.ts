/**
 * Where Herald may POST a webhook. Checked when a webhook is created (syntax, scheme, port, literal
 * addresses) and again by the Node transport at connect time on every address DNS returns (a name that
 * resolves to 127.0.0.1 today, or rebinds later, is refused then). Runtime neutral: no DNS here.
 */

import type { ActionContext } from "../actions/context.ts";

/** Ports a webhook may use: the web's usual ones, so Herald cannot be pointed at a database or SMTP port. */
export const WEBHOOK_PORTS: readonly number[] = [80, 443, 8080, 8443];

export type WebhookUrlPolicy = {
  /** `HERALD_ALLOW_PRIVATE_WEBHOOKS=1`: loopback and private addresses, and any port, allowed (tests, a lab). */
  allowPrivate: boolean;
};

/**
 * The policy from the settings the start-up layer read once (`HERALD_ALLOW_PRIVATE_WEBHOOKS`, on Node
 * from the environment, on Workers from the bindings). Without it private targets are refused, the safe answer.
 */
export function webhookUrlPolicy(settings: ActionContext["settings"]): WebhookUrlPolicy {
  return { allowPrivate: settings?.allowPrivateWebhooks === true };
}

/** Why `raw` cannot be a webhook URL, or null when it can (names are checked again at connect time). */
export function webhookUrlProblem(raw: string, policy: WebhookUrlPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "not a URL (expected https://…)";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return `only http and https URLs, not ${url.protocol}`;
  if (url.username || url.password) return "must not carry a user name or password (put a token in the path instead)";
  if (url.hash) return "must not have a #fragment";
  const host = hostAddress(url.hostname).replace(/\.+$/, "");
  if (host === "") return "has no host";
  // The lab switch also lifts the port rule: a test receiver listens on whatever port it got.
  if (policy.allowPrivate) return null;
  const port = url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port);
  if (!WEBHOOK_PORTS.includes(port)) return `port ${port} is not allowed (use ${WEBHOOK_PORTS.join(", ")})`;
  if (isIpAddress(host)) {
    return isPublicAddress(host) ? null : `${host} is a loopback, private or reserved address`;
  }
  if (host === "localhost" || host.endsWith(".localhost")) return `${host} is a loopback name`;
  return null;
}

/** The hostname without IPv6 brackets. */
export function hostAddress(hostname: string): string {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}

export function isIpAddress(host: string): boolean {
  return parseIPv4(host) !== null || parseIPv6(host) !== null;
}

/**
 * True only for a globally routable unicast address: false for loopback, private (RFC 1918, ULA),
 * link-local (169.254/16 holds the cloud metadata service), CGNAT (100.64/10), multicast, unspecified,
 * documentation, benchmarking and other reserved ranges, and IPv4-mapped or NAT64 forms of any of those.
 */
export function isPublicAddress(address: string): boolean {
  const v4 = parseIPv4(address);
  if (v4) return isPublicIPv4(v4);
  const v6 = parseIPv6(address);
  if (!v6) return false;
  return isPublicIPv6(v6);
}

type V4 = [number, number, number, number];

function parseIPv4(text: string): V4 | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const bytes = parts.map((part) => (/^(0|[1-9]\d{0,2})$/.test(part) ? Number(part) : Number.NaN));
  if (bytes.some((b) => !(b >= 0 && b <= 255))) return null;
  return bytes as V4;
}

function isPublicIPv4([a, b, c]: V4): boolean {
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false; // this network, private, loopback, multicast, reserved, broadcast
  if (a === 100 && b >= 64 && b <= 127) return false; // CGNAT
  if (a === 169 && b === 254) return false; // link-local, cloud metadata
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return false; // IETF protocol assignments, TEST-NET-1
  if (a === 192 && b === 88 && c === 99) return false; // 6to4 relay
  if (a === 198 && (b === 18 || b === 19)) return false; // benchmarking
  if (a === 198 && b === 51 && c === 100) return false; // TEST-NET-2
  if (a === 203 && b === 0 && c === 113) return false; // TEST-NET-3
  return true;
}

/** Eight 16-bit groups, or null. Accepts `::` and a trailing dotted IPv4 part; a zone (`%eth0`) is refused. */
function parseIPv6(text: string): number[] | null {
  if (!text.includes(":") || text.includes("%")) return null;
  let body = text;
  let tail: number[] = [];
  const lastColon = body.lastIndexOf(":");
  const last = body.slice(lastColon + 1);
  if (last.includes(".")) {
    const v4 = parseIPv4(last);
    if (!v4) return null;
    tail = [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
    body = `${body.slice(0, lastColon + 1)}0:0`;
  }
  const halves = body.split("::");
  if (halves.length > 2) return null;
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const head = groups(halves[0] ?? "");
  const rest = halves.length === 2 ? groups(halves[1] ?? "") : [];
  if ([...head, ...rest].some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return null;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest].map((g) =>
    Number.parseInt(g, 16),
  );
  if (tail.length) all.splice(6, 2, ...tail);
  return all;
}

function isPublicIPv6(g: number[]): boolean {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embeddedV4: V4 = [g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff];
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0) {
    if (g5 === 0xffff) return isPublicIPv4(embeddedV4); // IPv4-mapped ::ffff:a.b.c.d
    return false; // unspecified, loopback, IPv4-compatible (deprecated)
  }
  if (g0 === 0x64 && g1 === 0xff9b) return isPublicIPv4(embeddedV4); // NAT64
  if ((g0 & 0xe000) !== 0x2000) return false; // only global unicast 2000::/3 (excludes fc00::/7, fe80::/10, ff00::/8)
  if (g0 === 0x2001 && g1 === 0x0db8) return false; // documentation
  if (g0 === 0x2001 && g1 < 0x0200) return false; // Teredo, benchmarking, ORCHID and other IETF assignments
  if (g0 === 0x2002) return isPublicIPv4([g1 >> 8, g1 & 0xff, g2 >> 8, g2 & 0xff]); // 6to4 wraps an IPv4 address
  return true;
}
