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

/**
 * A component's deprecation or sunset as a feed entry (docs/inventory.md, Sunsetting): a whole-page
 * reader hears of it here and on the page, not by mail. Linked to the component's page.
 */
export type FeedNotice = {
  componentId: string;
  guid: string;
  url: string;
  title: string;
  html: string;
  text: string;
  at: string;
};

/** Incidents in their order, each notice placed before the first incident older than it. */
function merged<T>(
  incidents: IncidentRecord[],
  notices: FeedNotice[],
  ofIncident: (i: IncidentRecord) => T,
  ofNotice: (n: FeedNotice) => T,
): T[] {
  const pending = [...notices].sort((a, b) => b.at.localeCompare(a.at));
  const out: T[] = [];
  for (const incident of incidents) {
    while (pending[0] && pending[0].at >= itemDate(incident)) out.push(ofNotice(pending.shift() as FeedNotice));
    out.push(ofIncident(incident));
  }
  return [...out, ...pending.map(ofNotice)];
}

/** RFC 822 date, as RSS 2.0 wants it. */
const rssDate = (iso: string) => new Date(iso).toUTCString();

const indent = (depth: number, lines: string[]) => lines.map((line) => `${"  ".repeat(depth)}${line}`);

/** RSS 2.0, one item per incident carrying its latest update; no build date, so unchanged feeds stay byte-identical. */
export function rssFeed(
  page: PageRow,
  scope: FeedScope,
  incidents: IncidentRecord[],
  notices: FeedNotice[] = [],
): string {
  const noticeItem = (n: FeedNotice) => [
    "<item>",
    ...indent(1, [
      element("title", n.title),
      element("description", n.html),
      element("link", n.url),
      element("guid", n.guid, { isPermaLink: "false" }),
      element("pubDate", rssDate(n.at)),
    ]),
    "</item>",
  ];
  const items = merged(
    incidents,
    notices,
    (incident) => {
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
    },
    noticeItem,
  ).flat();
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
export function atomFeed(
  page: PageRow,
  scope: FeedScope,
  incidents: IncidentRecord[],
  notices: FeedNotice[] = [],
): string {
  const dates = [...(incidents[0] ? [itemDate(incidents[0])] : []), ...notices.map((n) => n.at)].sort();
  const updated = dates.at(-1) ?? page.createdAt;
  const noticeEntry = (n: FeedNotice) => [
    "<entry>",
    ...indent(1, [
      element("id", n.guid),
      element("title", n.title),
      emptyElement("link", { rel: "alternate", type: "text/html", href: n.url }),
      element("published", n.at),
      element("updated", n.at),
      element("summary", n.text),
      element("content", n.html, { type: "html" }),
    ]),
    "</entry>",
  ];
  const entries = merged(
    incidents,
    notices,
    (incident) => {
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
    },
    noticeEntry,
  ).flat();
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
