import type { IncidentRecord } from "../model/rows.ts";
import type { ComponentStatus } from "../model/statuses.ts";
import { componentLook, impactLook, KIND_LABELS, type Look, updateStatusLook } from "../presentation/status.ts";
import { formatDuration, formatTime, formatTimeBeside, formatWindow } from "../presentation/time.ts";
import type { IncidentView, UpdateView } from "../public/views/types.ts";
import type { NotificationKind } from "./events.ts";
import type { MailBody, MailIncident, MailModel, NotificationEventRow } from "./mail-types.ts";
import { mailText } from "./plain-text.ts";

/** What a mail about an incident says: status, impact, window, promise, components and body, as the page shows them. */
export function incidentModel(
  kind: NotificationKind,
  event: Pick<NotificationEventRow, "createdAt" | "updateId">,
  record: IncidentRecord,
  incident: IncidentView,
  update: UpdateView | undefined,
  index: number,
  timeZone: string,
): Omit<MailModel, "page" | "confirm" | "webhook" | "draft" | "escalation"> {
  const latest = incident.updates[0];
  const isMaintenance = incident.kind === "maintenance";
  const status = update?.status ?? incident.status;
  const statusLook = updateStatusLook(status);
  const statusLabel = statusLook.label;
  // A promise stands for the latest update only; a mail about an older one does not repeat a later promise.
  const promiseStands = incident.nextUpdateDueAt !== null && (index <= 0 || update === latest);
  const nextUpdateBy =
    promiseStands && incident.nextUpdateDueAt
      ? formatTimeBeside(incident.nextUpdateDueAt, latest?.displayAt, timeZone)
      : null;
  const impact = impactLook(incident.impact);

  const mailIncident: MailIncident = {
    id: incident.id,
    name: incident.name,
    kindLabel: KIND_LABELS[incident.kind],
    statusLabel,
    statusTone: statusLook.tone,
    statusSymbol: statusLook.symbol,
    statusColor: statusLook.colour,
    impactText: isMaintenance ? null : impact.label,
    impactTone: impact.tone,
    impactSymbol: impact.symbol,
    impactColor: impact.colour,
    window:
      isMaintenance && incident.scheduledFor && incident.scheduledUntil
        ? formatWindow(incident.scheduledFor, incident.scheduledUntil, timeZone)
        : null,
    nextUpdateBy,
    components: componentStatuses(incident, Math.max(index, 0)),
    hasComponents: false,
  };
  mailIncident.hasComponents = mailIncident.components.length > 0;

  const shown = kind === "postmortem.published" ? undefined : (update ?? latest);
  const body: MailBody | null =
    kind === "postmortem.published" && incident.postmortemHtml && incident.postmortemPublishedAt
      ? postmortemBody(incident.postmortemHtml, formatTime(incident.postmortemPublishedAt, timeZone))
      : shown
        ? {
            title: shown.statusLabel,
            at: formatTime(shown.displayAt, timeZone),
            html: shown.bodyHtml,
            text: mailText(shown.bodyHtml),
          }
        : null;
  const reminder =
    kind === "maintenance.reminder" && record.scheduledFor
      ? {
          startsIn: `in ${formatDuration(event.createdAt, record.scheduledFor)}, at ${formatTime(record.scheduledFor, timeZone)}`,
        }
      : null;
  return {
    preheader: body ? `${statusLabel}: ${firstLine(body.text)}` : `${statusLabel}: ${incident.name}`,
    incident: mailIncident,
    update: { statusLabel },
    body,
    reminder,
  };
}

function postmortemBody(html: string, at: string): MailBody {
  return { title: "Postmortem", at, html, text: mailText(html) };
}

/** Each touched component with the status it had as of the update at `from` (updates are newest first). */
function componentStatuses(incident: IncidentView, from: number): MailIncident["components"] {
  const statusOf = new Map<string, ComponentStatus>();
  for (const update of incident.updates.slice(from)) {
    for (const change of update.affected) if (!statusOf.has(change.id)) statusOf.set(change.id, change.newStatus);
  }
  return incident.components.flatMap((c) => {
    const status = statusOf.get(c.id);
    if (!status) return [];
    const look: Look = componentLook(status);
    return [{ name: c.name, statusLabel: look.label, tone: look.tone, symbol: look.symbol, color: look.colour }];
  });
}

function firstLine(text: string): string {
  const line = text.split("\n").find((l) => l.trim() !== "") ?? "";
  return line.length <= 140 ? line : `${line.slice(0, 139)}…`;
}
