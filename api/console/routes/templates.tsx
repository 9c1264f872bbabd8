/** @jsxImportSource hono/jsx */
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { requireRole } from "../../../core/actions/authorize.ts";
import { run, runUnchecked } from "../../../core/actions/run.ts";
import { listComponents } from "../../../core/components/load-components.ts";
import { getPage } from "../../../core/page/get-page.ts";
import { createTemplate } from "../../../core/templates/create-template.ts";
import { deleteTemplate } from "../../../core/templates/delete-template.ts";
import { editTemplate } from "../../../core/templates/edit-template.ts";
import { getTemplate, listTemplates } from "../../../core/templates/list-templates.ts";
import {
  previewTemplate,
  previewTemplateDraft,
  sampleVariableValues,
  type TemplatePreview,
} from "../../../core/templates/preview-template.ts";
import type { TemplateView } from "../../../core/templates/template-view.ts";
import { attempt, done, render } from "../render.ts";
import { TemplateListScreen } from "../screens/template-list.tsx";
import { type TemplateEditProps, TemplateEditScreen } from "../screens/templates.tsx";
import { actionContext, type ConsoleDeps, type ConsoleEnv } from "../session.ts";
import { type TemplateFormInput, templateFormValues, templateInputFromTemplateForm } from "../template-form.ts";
import { type PreviewTarget, previewFromForm, previewProblem } from "../template-preview.ts";
import type { FormValues, Refusal } from "../ui/form.tsx";
import { TemplatePreviewContent } from "../ui/template-picker.tsx";

export function templateRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  app.get("/templates", async (c) => {
    const [page, templates] = await Promise.all([getPage(deps.db), run(actionContext(c, deps), listTemplates, {})]);
    return render(
      c,
      <TemplateListScreen
        session={c.get("session")}
        pageName={page.name}
        templates={templates}
        done={c.req.query("done")}
      />,
    );
  });

  const editScreen = async (
    c: Context<ConsoleEnv>,
    template: TemplateView | undefined,
    form: FormValues,
    refusal?: Refusal,
    status: ContentfulStatusCode = 200,
    draft?: { preview?: TemplatePreview; problem?: string },
  ) => {
    const ctx = actionContext(c, deps);
    const [page, components] = await Promise.all([getPage(deps.db), listComponents(deps.db)]);
    const props: TemplateEditProps = {
      session: c.get("session"),
      pageName: page.name,
      components,
      template,
      form,
      refusal,
      done: c.req.query("done"),
    };
    if (draft) {
      props.draft = true;
      props.preview = draft.preview;
      props.previewProblem = draft.problem;
    } else if (template) {
      const variables = sampleVariableValues(template.variables);
      const preview = await attempt(() => run(ctx, previewTemplate, { id: template.id, variables }));
      if (preview.ok) props.preview = preview.value;
      else props.previewProblem = preview.refusal.message;
    }
    return render(c, <TemplateEditScreen {...props} />, status);
  };

  app.get("/templates/new", (c) => {
    requireRole(actionContext(c, deps), createTemplate.role, createTemplate.doing);
    return editScreen(c, undefined, { kind: "incident", status: "investigating", variables: "[]" });
  });
  app.post("/templates/new", async (c) => {
    const form = c.get("form");
    const result = await attempt(() =>
      runUnchecked(actionContext(c, deps), createTemplate, templateInputFromTemplateForm(form, true)),
    );
    if (!result.ok) return editScreen(c, undefined, form, result.refusal, result.status);
    return done(c, `/admin/templates/${result.value.id}`, "created");
  });

  // The form as typed, previewed without saving: the same checks as saving, then the page's rendering.
  const draftScreen = async (c: Context<ConsoleEnv>, template: TemplateView | undefined) => {
    const form = c.get("form");
    // The variables box is JSON as typed (text that is not JSON goes as it is, to be refused): checked by the runner.
    const input = templateInputFromTemplateForm(form, template === undefined);
    const preview = await attempt(() => runUnchecked(actionContext(c, deps), previewTemplateDraft, input));
    if (preview.ok) return editScreen(c, template, form, undefined, 200, { preview: preview.value });
    return editScreen(c, template, form, preview.refusal, preview.status, { problem: preview.refusal.message });
  };
  app.post("/templates/new/draft", (c) => draftScreen(c, undefined));
  app.post("/templates/:id/draft", async (c) =>
    draftScreen(c, await run(actionContext(c, deps), getTemplate, { id: c.req.param("id") })),
  );

  app.get("/templates/:id", async (c) => {
    const template = await run(actionContext(c, deps), getTemplate, { id: c.req.param("id") });
    return editScreen(c, template, templateFormValues(template));
  });
  app.post("/templates/:id", async (c) => {
    const form = c.get("form");
    const ctx = actionContext(c, deps);
    const template = await run(ctx, getTemplate, { id: c.req.param("id") });
    const input: TemplateFormInput<typeof editTemplate> = {
      ...templateInputFromTemplateForm(form, false),
      id: template.id,
    };
    const result = await attempt(() => runUnchecked(ctx, editTemplate, input));
    if (!result.ok) return editScreen(c, template, form, result.refusal, result.status);
    return done(c, `/admin/templates/${template.id}`, "saved");
  });
  app.post("/templates/:id/delete", async (c) => {
    await run(actionContext(c, deps), deleteTemplate, { id: c.req.param("id") });
    return done(c, "/admin/templates", "deleted");
  });

  // The live preview of a form that posts from this template; writes nothing.
  app.post("/templates/:id/preview", async (c) => {
    const incidentId = c.req.query("incident");
    const target: PreviewTarget = incidentId
      ? { incidentId }
      : { kind: c.req.query("kind") === "maintenance" ? "maintenance" : "incident" };
    const form = { ...c.get("form"), template: c.req.param("id") };
    const result = await previewFromForm(actionContext(c, deps), form, target);
    if (result.ok) return c.html(<TemplatePreviewContent preview={result.value} />);
    return c.html(<TemplatePreviewContent problem={previewProblem(result.refusal)} />, result.status);
  });
}
