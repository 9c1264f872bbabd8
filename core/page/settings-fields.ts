import { z } from "zod";
import { canonicalTimeZone } from "../presentation/time.ts";
import { emailAddress } from "../subscribers/email-address.ts";
import { addressText } from "../text/safe-text.ts";
import { brandColorProblem, normalizeHexColor } from "./brand-color.ts";
import { imageHostProblem } from "./image-source.ts";

/** A logo or favicon inlined as a data: URL: an image type a browser shows in <img>, base64, small. */
const DATA_IMAGE = /^data:image\/(png|jpeg|gif|webp|svg\+xml|x-icon|vnd\.microsoft\.icon);base64,[A-Za-z0-9+/]+={0,2}$/;
const MAX_DATA_IMAGE = 65_536;

/** Why `raw` is not a link of one of `schemes` (no credentials, no fragment), or null. */
function linkProblem(raw: string, schemes: string[]): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `not a URL (expected ${schemes.map((s) => `${s}${s === "mailto:" ? "…" : "//…"}`).join(" or ")})`;
  }
  if (!schemes.includes(url.protocol)) return `only ${schemes.join(" and ")} URLs, not ${url.protocol}`;
  if (url.protocol === "mailto:") return url.pathname.includes("@") ? null : "a mailto: link needs an address";
  if (url.username || url.password) return "must not carry a user name or password";
  if (url.hostname === "") return "has no host";
  return null;
}

function link(max: number, required: string, schemes: string[]) {
  return addressText(max, required)
    .trim()
    .check((ctx) => {
      const problem = linkProblem(ctx.value, schemes);
      if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
    });
}

/** A logo or favicon: an http(s) image URL, or a small base64 data: image (inlined, no third party). */
const imageUrl = addressText(MAX_DATA_IMAGE, "an image URL is required")
  .trim()
  .check((ctx) => {
    if (ctx.value.startsWith("data:")) {
      if (!DATA_IMAGE.test(ctx.value)) {
        ctx.issues.push({
          code: "custom",
          message: "a data: URL must be a base64 PNG, JPEG, GIF, WebP, SVG or ICO image (data:image/png;base64,…)",
          input: ctx.value,
        });
      }
      return;
    }
    if ([...ctx.value].length > 2000) {
      ctx.issues.push({ code: "custom", message: "at most 2000 characters for an http(s) URL", input: ctx.value });
      return;
    }
    const problem = linkProblem(ctx.value, ["https:", "http:"]) ?? imageHostProblem(new URL(ctx.value));
    if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
  });

const timeZone = addressText(64, "a time zone is required")
  .trim()
  .check((ctx) => {
    if (canonicalTimeZone(ctx.value) === null)
      ctx.issues.push({
        code: "custom",
        message: `"${ctx.value}" is not an IANA time zone (e.g. Europe/Berlin, America/New_York, Etc/UTC)`,
        input: ctx.value,
      });
  })
  .transform((value) => canonicalTimeZone(value) ?? value);

const brandColor = addressText(7, "a colour is required")
  .trim()
  .check((ctx) => {
    const hex = normalizeHexColor(ctx.value);
    const problem = hex ? brandColorProblem(hex) : "must be a hex colour like #0a58c2";
    if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
  })
  .transform((value) => normalizeHexColor(value) ?? value);

/** The fields of `PATCH /api/page`, each described for the OpenAPI document. */
export const pageSettingsFields = {
  url: link(2000, "a URL is required", ["https:", "http:"])
    .transform((value) => value.replace(/\/+$/, ""))
    .describe(
      "the public address of the page (links in mail, feeds, canonical URLs); PUBLIC_URL, when set, wins at start",
    ),
  api_url: link(2000, "a URL is required", ["https:", "http:"])
    .transform((value) => value.replace(/\/+$/, ""))
    .nullable()
    .describe(
      "the API's public address when it is not the page's (a Worker serves it): subscriber links in mail and the subscribe form point there; null: the page's origin; PUBLIC_API_URL, when set, wins at start",
    ),
  time_zone: timeZone.describe("IANA time zone the page shows times in when the reader has no JavaScript"),
  logo_url: imageUrl.nullable().describe("logo shown before the name: http(s) URL or base64 data: image; null: none"),
  favicon_url: imageUrl.nullable().describe("favicon: http(s) URL or base64 data: image; null: Herald's"),
  brand_color: brandColor
    .nullable()
    .describe(
      "hex colour of links and buttons; needs 4.5:1 on the light background (the dark scheme gets a lightened shade)",
    ),
  support_url: link(2000, "a URL is required", ["https:", "http:", "mailto:"])
    .nullable()
    .describe("where readers get help (http(s) or mailto:), linked in the footer; null: no link"),
  team_email: emailAddress.nullable().describe("the team's address, for overdue-update reminders"),
  default_next_update_minutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .nullable()
    .describe("the update cadence the team promises by default, in minutes; null: none"),
  sender_address: emailAddress.nullable().describe("From: address of notification mail; null: MAIL_FROM"),
  review_weekday: z
    .int()
    .min(1)
    .max(7)
    .nullable()
    .describe(
      "the weekly review mail's day, ISO weekday 1 (Monday) to 7 (Sunday) in the page's time zone; null (with review_hour): no weekly mail",
    ),
  review_hour: z
    .int()
    .min(0)
    .max(23)
    .nullable()
    .describe(
      "the weekly review mail's hour, 0–23 in the page's time zone; null (with review_weekday): no weekly mail",
    ),
  public_reliability: z
    .boolean()
    .describe("whether the public site has a reliability page (/reliability/: uptime and incidents, 30/90/365 days)"),
  sunset_reminder_days: z
    .int()
    .min(1)
    .max(365)
    .describe("how many days before a deprecated component's sunset its subscribers are reminded"),
};
