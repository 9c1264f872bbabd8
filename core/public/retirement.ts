import type { ComponentRow, PageRow } from "../model/rows.ts";
import { formatTime } from "../presentation/time.ts";
import { htmlToText, renderMarkdown } from "../text/markdown.ts";
import type { FeedNotice } from "./feeds.ts";
import { paths, publicUrl } from "./paths.ts";
import type { Retirement } from "./views/types.ts";

/**
 * The components the page shows: every one but the sunset (docs/inventory.md, Sunsetting). The index,
 * the v2 component lists and status, group rollups and the subscribe form read this; a sunset
 * component's own page, its incidents and the history keep it.
 */
export function onPage<C extends Pick<ComponentRow, "stage">>(all: readonly C[]): C[] {
  return all.filter((c) => c.stage !== "sunset");
}

/** What the page says about a deprecated or sunset component; null for every other stage. */
export function retirementOf(
  c: Pick<ComponentRow, "stage" | "sunsetAt" | "deprecationMessage" | "updatedAt">,
): Retirement | null {
  if (c.stage !== "deprecated" && c.stage !== "sunset") return null;
  return {
    stage: c.stage,
    sunsetAt: c.sunsetAt ?? c.updatedAt,
    messageHtml: c.deprecationMessage ? renderMarkdown(c.deprecationMessage) : "",
  };
}

/**
 * The feed entries of retiring components: one when a component is deprecated (dated then), one when
 * it is sunset. Statuspage's feeds list incidents only; Herald adds these because a whole-page reader
 * is never mailed about a component's retirement (docs/inventory.md, Sunsetting).
 */
export function retirementNotices(page: PageRow, components: readonly ComponentRow[]): FeedNotice[] {
  return components.flatMap((c) => {
    const retirement = retirementOf(c);
    if (!retirement || !c.deprecatedAt) return [];
    const url = publicUrl(page, paths.component(c.id));
    const date = formatTime(retirement.sunsetAt, page.timeZone);
    const notice = (stage: "deprecated" | "sunset", at: string, title: string, lead: string): FeedNotice => ({
      componentId: c.id,
      guid: `${url}#${stage}-${at}`,
      url,
      title,
      html: `<p>${escapeXmlText(lead)}</p>${retirement.messageHtml}`,
      text: retirement.messageHtml ? `${lead} ${htmlToText(retirement.messageHtml)}` : lead,
      at,
    });
    const deprecated = notice(
      "deprecated",
      c.deprecatedAt,
      `${c.name}: Deprecated`,
      `${c.name} is deprecated and leaves this page on ${date}.`,
    );
    if (retirement.stage === "deprecated") return [deprecated];
    return [
      deprecated,
      notice("sunset", retirement.sunsetAt, `${c.name}: Sunset`, `${c.name} left this page on ${date}.`),
    ];
  });
}

const XML_TEXT: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

function escapeXmlText(text: string): string {
  return text.replace(/[&<>]/g, (c) => XML_TEXT[c] ?? c);
}
