import type { IncidentRecord, PageRow } from "../model/rows.ts";
import { updateStatusLook } from "../presentation/status.ts";
import { formatTime } from "../presentation/time.ts";
import { htmlToText } from "../text/markdown.ts";
import { paths, publicUrl } from "./paths.ts";
import { element, emptyElement } from "./xml.ts";

/** What a feed covers: the whole page, or the incidents that touched one component. */
export type FeedScope = { title: string; selfPath: string; linkPath: string };

function latestOf(incident: IncidentRecord) {
  return incident.updates[0];
}

function itemTitle(incident: IncidentRecord): string {
  const latest = latestOf(incident);
  return latest ? `${incident.name}: ${updateStatusLook(latest.status).label}` : incident.name;
}

/** The item text: the latest update first, with its status and time (in the page's zone, as in its text), then what came before. */
function itemHtml(incident: IncidentRecord, timeZone: string): string {
  return incident.updates
    .map(
      (u) =>
        `<p><strong>${updateStatusLook(u.status).label}</strong> (${formatTime(u.displayAt, timeZone)})</p>${u.bodyHtml}`,
    )
    .join("\n");
}

function itemDate(incident: IncidentRecord): string {
  return latestOf(incident)?.displayAt ?? incident.updatedAt;
}

/** RFC 822 date, as RSS 2.0 wants it. */
const rssDate = (iso: string) => new Date(iso).toUTCString();

const indent = (depth: number, lines: string[]) => lines.map((line) => `${"  ".repeat(depth)}${line}`);

/** RSS 2.0, one item per incident carrying its latest update; no build date, so unchanged feeds stay byte-identical. */
export function rssFeed(page: PageRow, scope: FeedScope, incidents: IncidentRecord[]): string {
  const items = incidents.flatMap((incident) => {
    const url = publicUrl(page, paths.incident(incident.id));
    return [
      "<item>",
      ...indent(1, [
        element("title", itemTitle(incident)),
        element("description", itemHtml(incident, page.timeZone)),
        element("link", url),
        element("guid", url, { isPermaLink: "true" }),
        element("pubDate", rssDate(itemDate(incident))),
      ]),
      "</item>",
    ];
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    ...indent(1, [
      "<channel>",
      ...indent(1, [
        element("title", scope.title),
        element("description", `Incident and maintenance history of ${page.name}`),
        element("link", publicUrl(page, scope.linkPath)),
        element("generator", "Herald"),
        emptyElement("atom:link", {
          href: publicUrl(page, scope.selfPath),
          rel: "self",
          type: "application/rss+xml",
        }),
        element("pubDate", rssDate(incidents[0] ? itemDate(incidents[0]) : page.createdAt)),
        ...items,
      ]),
      "</channel>",
    ]),
    "</rss>",
    "",
  ].join("\n");
}

/** Atom 1.0 with the same items as the RSS feed. */
export function atomFeed(page: PageRow, scope: FeedScope, incidents: IncidentRecord[]): string {
  const updated = incidents[0] ? itemDate(incidents[0]) : page.createdAt;
  const entries = incidents.flatMap((incident) => {
    const latest = latestOf(incident);
    const url = publicUrl(page, paths.incident(incident.id));
    return [
      "<entry>",
      ...indent(1, [
        element("id", url),
        element("title", itemTitle(incident)),
        emptyElement("link", { rel: "alternate", type: "text/html", href: url }),
        element("published", incident.createdAt),
        element("updated", itemDate(incident)),
        element("summary", latest ? htmlToText(latest.bodyHtml) : ""),
        element("content", itemHtml(incident, page.timeZone), { type: "html" }),
      ]),
      "</entry>",
    ];
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    ...indent(1, [
      element("id", publicUrl(page, scope.selfPath)),
      element("title", scope.title),
      element("updated", updated),
      `<author>${element("name", page.name)}</author>`,
      emptyElement("link", { rel: "self", type: "application/atom+xml", href: publicUrl(page, scope.selfPath) }),
      emptyElement("link", { rel: "alternate", type: "text/html", href: publicUrl(page, scope.linkPath) }),
      element("generator", "Herald"),
      ...entries,
    ]),
    "</feed>",
    "",
  ].join("\n");
}
