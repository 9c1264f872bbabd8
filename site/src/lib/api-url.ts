import { paths } from "../../../core/public/paths.ts";

/**
 * PUBLIC_API_URL: where the API answers when the static site is hosted elsewhere (a CDN, Pages).
 * Unset, forms post to the page's own origin (the embedded default serves both on one port).
 */
export function publicApiUrl(): string {
  return (process.env.PUBLIC_API_URL ?? "").replace(/\/+$/, "");
}

/** The subscribe form's `action`. */
export function subscribeAction(): string {
  return `${publicApiUrl()}${paths.subscribe()}`;
}

/** The API's origin for the page's CSP `form-action`, when it is not the page's own. */
export function apiOrigin(): string | null {
  const url = publicApiUrl();
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    throw new Error(`PUBLIC_API_URL must be an absolute URL like https://api.example.com, not "${url}".`);
  }
}
