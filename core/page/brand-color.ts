/**
 * The brand colour is the colour of links and buttons on the public page, so it must read as text
 * (WCAG AA: 4.5:1) on the page's backgrounds. In the light scheme the admin's colour is used as given,
 * or refused with a darker shade that passes; in the dark scheme it is lightened just enough to pass.
 */
export const MIN_TEXT_CONTRAST = 4.5;

/** The light scheme's backgrounds (page and cards), the darker one deciding; see site/src/styles/site.css. */
export const LIGHT_BACKGROUNDS = ["#ffffff", "#f6f7f9"] as const;
/** The dark scheme's backgrounds (page and cards), the lighter one deciding. */
export const DARK_BACKGROUNDS = ["#0d1117", "#161b22"] as const;

type Rgb = [number, number, number];

/** `#abc` or `#aabbcc` (any case) → `#aabbcc`; null when it is not a hex colour. */
export function normalizeHexColor(value: string): string | null {
  const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim());
  if (!match?.[1]) return null;
  const hex = match[1].toLowerCase();
  return `#${hex.length === 3 ? [...hex].map((d) => d + d).join("") : hex}`;
}

function rgb(hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;
}

function luminance(hex: string): number {
  const [r, g, b] = rgb(hex).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The WCAG contrast ratio of two colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

function worstContrast(color: string, backgrounds: readonly string[]): number {
  return Math.min(...backgrounds.map((bg) => contrastRatio(color, bg)));
}

/** Mixes `color` toward `target` in small steps until it reads on `backgrounds`. */
function shiftUntilReadable(color: string, target: Rgb, backgrounds: readonly string[]): string {
  const from = rgb(color);
  for (let step = 0; step <= 100; step++) {
    const t = step / 100;
    const candidate = toHex(from.map((c, i) => c + ((target[i] ?? c) - c) * t) as Rgb);
    if (worstContrast(candidate, backgrounds) >= MIN_TEXT_CONTRAST) return candidate;
  }
  return toHex(target);
}

/** Why `color` cannot be the brand colour (with a shade that would do), or null when it reads on the light scheme. */
export function brandColorProblem(color: string): string | null {
  const ratio = worstContrast(color, LIGHT_BACKGROUNDS);
  if (ratio >= MIN_TEXT_CONTRAST) return null;
  const suggestion = shiftUntilReadable(color, [0, 0, 0], LIGHT_BACKGROUNDS);
  return (
    `${color} has a contrast of ${ratio.toFixed(2)}:1 on the page's light background; links and buttons need ` +
    `at least ${MIN_TEXT_CONTRAST}:1 (WCAG AA). A darker shade such as ${suggestion} passes.`
  );
}

/** The brand colour in each scheme: as given in the light one, lightened where needed for the dark one. */
export function brandColors(color: string): { light: string; dark: string } {
  return { light: color, dark: shiftUntilReadable(color, [255, 255, 255], DARK_BACKGROUNDS) };
}
