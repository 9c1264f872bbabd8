import type { ActionContext } from "../actions/context.ts";
import { defineQuery } from "../actions/define.ts";
import { buildEmail } from "../notifications/email/build-email.ts";
import { previewIncidentMailView } from "../notifications/mail-view.ts";
import { getPage } from "../page/get-page.ts";
import { requestFromTemplate } from "../templates/resolve.ts";
import { openIncidentRequest, postUpdateRequest } from "../templates/schemas.ts";
import type { PlannedIncidentChange } from "./plan-incident.ts";
import { planPostPreview } from "./plan-post-preview.ts";
import { incidentId } from "./schemas.ts";

/** What a post would show: the update as the page shows it, and the mail subscribers would get. */
export type PostPreview = {
  body_html: string;
  /** The mail (subject and text part) as sent, with placeholders for each subscriber's own links; null when it notifies no one. */
  mail: { subject: string; text: string } | null;
};

const PREVIEW_SUBSCRIBER = { id: "preview", address: "subscriber@example.com", ownerEmail: null };
const OWN_LINKS = {
  preferences: "https://preview.invalid/preferences",
  unsubscribe: "https://preview.invalid/unsubscribe",
};
const OWN_LINK_TEXT: [string, string][] = [
  [OWN_LINKS.preferences, "<each subscriber's own preferences link>"],
  [OWN_LINKS.unsubscribe, "<each subscriber's own unsubscribe link>"],
  [PREVIEW_SUBSCRIBER.address, "<the subscriber's address>"],
];

/**
 * Plans opening an incident (or scheduling a maintenance) from the request, as `openIncident` would and
 * with the same checks, and writes nothing: the preview of the page's text and of the mail. A
 * `publish_at` is ignored: the preview shows the post as if it were published now.
 */
export const previewOpen = defineQuery({
  name: "incident.preview-open",
  role: "viewer",
  doing: "preview posts",
  input: openIncidentRequest,
  async read(ctx, request, now) {
    const resolved = nowNotLater(await requestFromTemplate(ctx.db, request, null, now));
    return previewOpening(ctx, resolved, now);
  },
});

/** The preview of opening an incident from a resolved request (no template left to fill in): what `previewOpen` answers. */
export async function previewOpening(ctx: ActionContext, resolved: unknown, now: Date): Promise<PostPreview> {
  return previewOf(ctx, await planPostPreview(ctx, resolved, null, now), now);
}

/** Likewise for an update of the incident `id`, as `postUpdate` would post it now. */
export const previewUpdate = defineQuery({
  name: "update.preview",
  role: "viewer",
  doing: "preview posts",
  input: postUpdateRequest.extend(incidentId),
  async read(ctx, { id, ...request }, now) {
    const resolved = nowNotLater(await requestFromTemplate(ctx.db, request, id, now));
    return previewOf(ctx, await planPostPreview(ctx, resolved, id, now), now);
  },
});

async function previewOf(ctx: ActionContext, planned: PlannedIncidentChange, now: Date): Promise<PostPreview> {
  const update = planned.record.updates.find((u) => u.id === planned.notice.updateId) ?? planned.record.updates[0];
  const { kind } = planned.notice;
  const view = kind
    ? previewIncidentMailView(await getPage(ctx.db), kind, planned.record, update?.id ?? null, now)
    : null;
  const mail = view ? buildEmail(view, PREVIEW_SUBSCRIBER, OWN_LINKS) : null;
  return {
    body_html: update?.bodyHtml ?? "",
    mail: mail && { subject: mail.subject, text: withPlaceholders(mail.text) },
  };
}

function withPlaceholders(text: string): string {
  return OWN_LINK_TEXT.reduce((out, [from, to]) => out.split(from).join(to), text);
}

/** The request without its `publish_at` (anything else is left for the schema to refuse). */
function nowNotLater(request: unknown): unknown {
  if (typeof request !== "object" || request === null || Array.isArray(request)) return request;
  const { publish_at: _later, ...now } = request as Record<string, unknown>;
  return now;
}
