import RSS from "rss";
import { htmlToText } from "../markdown.ts";
import { UPDATE_STATUS_LABELS, type UpdateStatus } from "../statuses.ts";
import type { IncidentRecord, PageRow } from "../types.ts";

/** What a feed covers: the whole page, or the incidents that touched one component. */
export type FeedScope = { title: string; selfPath: string; linkPath: string };

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const incidentUrl = (page: PageRow, id: string) => `${page.url}/incidents/${id}/`;

function latestOf(incident: IncidentRecord) {
  return incident.updates[0];
}

/** The item text: the latest update first, with its status, then what came before. */
function itemHtml(incident: IncidentRecord): string {
  return incident.updates
    .map(
      (u) =>
        `<p><strong>${UPDATE_STATUS_LABELS[u.status as UpdateStatus]}</strong> (${u.displayAt.slice(0, 16).replace("T", " ")} UTC)</p>${u.bodyHtml}`,
    )
    .join("\n");
}

function itemDate(incident: IncidentRecord): string {
  return latestOf(incident)?.displayAt ?? incident.updatedAt;
}

/** RSS 2.0, one item per incident carrying its latest update; no build date, so unchanged feeds stay byte-identical. */
export function rssFeed(page: PageRow, scope: FeedScope, incidents: IncidentRecord[]): string {
  const feed = new RSS({
    title: scope.title,
    description: `Incident and maintenance history of ${page.name}`,
    site_url: `${page.url}${scope.linkPath}`,
    feed_url: `${page.url}${scope.selfPath}`,
    generator: "Herald",
    pubDate: incidents[0] ? itemDate(incidents[0]) : page.createdAt,
  });
  for (const incident of incidents) {
    const latest = latestOf(incident);
    feed.item({
      title: latest ? `${incident.name}: ${UPDATE_STATUS_LABELS[latest.status as UpdateStatus]}` : incident.name,
      description: itemHtml(incident),
      url: incidentUrl(page, incident.id),
      date: itemDate(incident),
    });
  }
  return feed.xml({ indent: true }).replace(/\s*<lastBuildDate>[^<]*<\/lastBuildDate>/, "");
}

/** Atom 1.0 with the same items as the RSS feed. */
export function atomFeed(page: PageRow, scope: FeedScope, incidents: IncidentRecord[]): string {
  const updated = incidents[0] ? itemDate(incidents[0]) : page.createdAt;
  const entries = incidents.map((incident) => {
    const latest = latestOf(incident);
    const title = latest ? `${incident.name}: ${UPDATE_STATUS_LABELS[latest.status as UpdateStatus]}` : incident.name;
    return [
      "  <entry>",
      `    <id>${escapeXml(incidentUrl(page, incident.id))}</id>`,
      `    <title>${escapeXml(title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${escapeXml(incidentUrl(page, incident.id))}"/>`,
      `    <published>${incident.createdAt}</published>`,
      `    <updated>${itemDate(incident)}</updated>`,
      `    <summary>${escapeXml(latest ? htmlToText(latest.bodyHtml) : "")}</summary>`,
      `    <content type="html">${escapeXml(itemHtml(incident))}</content>`,
      "  </entry>",
    ].join("\n");
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${escapeXml(`${page.url}${scope.selfPath}`)}</id>`,
    `  <title>${escapeXml(scope.title)}</title>`,
    `  <updated>${updated}</updated>`,
    `  <author><name>${escapeXml(page.name)}</name></author>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(`${page.url}${scope.selfPath}`)}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(`${page.url}${scope.linkPath}`)}"/>`,
    "  <generator>Herald</generator>",
    ...entries,
    "</feed>",
    "",
  ].join("\n");
}
