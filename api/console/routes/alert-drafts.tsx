/** @jsxImportSource hono/jsx */
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { InputOf } from "../../../core/actions/define.ts";
import { run } from "../../../core/actions/run.ts";
import { discardDraft } from "../../../core/alerts/drafts/discard-draft.ts";
import { getDraft } from "../../../core/alerts/drafts/list-drafts.ts";
import { previewDraft } from "../../../core/alerts/drafts/preview-draft.ts";
import { publishDraft } from "../../../core/alerts/drafts/publish-draft.ts";
import type { DraftView } from "../../../core/alerts/drafts/schemas.ts";
import { listComponents } from "../../../core/components/load-components.ts";
import { getPage } from "../../../core/page/get-page.ts";
import { formPreview } from "../body-preview.ts";
import { componentField, updateInputFromForm } from "../incident-form.ts";
import { attempt, done, render } from "../render.ts";
import { AlertDraftScreen, type DraftScreenProps } from "../screens/alert-draft.tsx";
import { actionContext, type ConsoleDeps, type ConsoleEnv } from "../session.ts";
import type { FormValues } from "../ui/form.tsx";

/** The form a draft screen starts with: the incident as the template drafted it. */
function formOf(draft: DraftView): FormValues {
  const form: FormValues = { name: draft.name, status: draft.status, body: draft.body, impact: draft.impact ?? "" };
  for (const [id, status] of Object.entries(draft.components)) form[componentField(id)] = status;
  return form;
}

/** What the form asks to publish; every component select is on the screen, so none chosen means none. */
function publishInputOf(form: FormValues, id: string): InputOf<typeof publishDraft> {
  const { status, body, components, deliver_notifications, impact } = updateInputFromForm(form);
  return {
    id,
    name: form.name ?? "",
    components: components && !Array.isArray(components) ? components : {},
    ...(status === undefined ? {} : { status }),
    ...(body === undefined ? {} : { body }),
    ...(deliver_notifications === undefined ? {} : { deliver_notifications }),
    ...(impact === undefined ? {} : { impact }),
  };
}

/** `/admin/alerts/drafts/{id}`: review a draft incident from alerts, preview it, publish or discard it. */
export function alertDraftRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const screen = async (
    c: Context<ConsoleEnv>,
    extra: Partial<Pick<DraftScreenProps, "form" | "refusal" | "previewHtml" | "mailPreview">> = {},
    status: ContentfulStatusCode = 200,
  ) => {
    const ctx = actionContext(c, deps);
    const [draft, page, components] = await Promise.all([
      run(ctx, getDraft, { id: c.req.param("id") ?? "" }),
      getPage(deps.db),
      listComponents(deps.db),
    ]);
    const form = extra.form ?? formOf(draft);
    const previewHtml = extra.previewHtml ?? (await formPreview(ctx, form, "update")).previewHtml;
    return render(
      c,
      <AlertDraftScreen
        session={c.get("session")}
        pageName={page.name}
        draft={draft}
        components={components}
        {...extra}
        form={form}
        previewHtml={previewHtml}
      />,
      status,
    );
  };

  app.get("/alerts/drafts/:id", (c) => screen(c));

  app.post("/alerts/drafts/:id", async (c) => {
    const form = c.get("form");
    const id = c.req.param("id");
    const ctx = actionContext(c, deps);
    if (form._preview) {
      const preview = await attempt(() => run(ctx, previewDraft, publishInputOf(form, id)));
      const mailPreview = preview.ok ? { mail: preview.value.mail } : { problem: preview.refusal.message };
      const previewHtml = preview.ok ? preview.value.body_html : undefined;
      return screen(c, { form, mailPreview, previewHtml, refusal: preview.ok ? undefined : preview.refusal });
    }
    const result = await attempt(() => run(ctx, publishDraft, publishInputOf(form, id)));
    if (!result.ok) return screen(c, { form, refusal: result.refusal }, result.status);
    return done(c, `/admin/incidents/${result.value.incident.id}`, "opened");
  });

  app.post("/alerts/drafts/:id/discard", async (c) => {
    const result = await attempt(() => run(actionContext(c, deps), discardDraft, { id: c.req.param("id") }));
    if (!result.ok) return screen(c, { refusal: result.refusal }, result.status);
    return done(c, "/admin", "draft-discarded");
  });
}
