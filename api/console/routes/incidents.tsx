/** @jsxImportSource hono/jsx */
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { requireRole } from "../../../core/actions/authorize.ts";
import { run } from "../../../core/actions/run.ts";
import { listComponents } from "../../../core/components/load-components.ts";
import { incidentCommandView } from "../../../core/escalation/incident-command.ts";
import { editUpdate } from "../../../core/incidents/edit-update.ts";
import { getIncident } from "../../../core/incidents/load-incidents.ts";
import { openIncident } from "../../../core/incidents/open-incident.ts";
import { postUpdate } from "../../../core/incidents/post-update.ts";
import { type PostPreview, previewOpen, previewUpdate } from "../../../core/incidents/preview-post.ts";
import { reopenIncident } from "../../../core/incidents/reopen-incident.ts";
import { readScheduledUpdates } from "../../../core/incidents/scheduled-updates.ts";
import { writePostmortem } from "../../../core/incidents/write-postmortem.ts";
import { incidentDeliveries } from "../../../core/notifications/incident-deliveries.ts";
import { getPage } from "../../../core/page/get-page.ts";
import { incidentView } from "../../../core/public/site-views.ts";
import { defaultCadenceFor, schedulerSettings } from "../../../core/scheduler/settings.ts";
import { listTemplates } from "../../../core/templates/list-templates.ts";
import { formPreview } from "../body-preview.ts";
import {
  editUpdateInputFromForm,
  openInputFromForm,
  postmortemInputFromForm,
  reopenInputFromForm,
  updateInputFromForm,
} from "../incident-form.ts";
import { attempt, done, render } from "../render.ts";
import { IncidentScreen, type IncidentScreenProps } from "../screens/incident.tsx";
import { OpenIncidentScreen } from "../screens/open-incident.tsx";
import { ScheduleMaintenanceScreen } from "../screens/schedule-maintenance.tsx";
import { actionContext, type ConsoleDeps, type ConsoleEnv } from "../session.ts";
import { formFromTemplate } from "../template-form.ts";
import { type PreviewTarget, previewFromForm, previewProblem, previewUrl } from "../template-preview.ts";
import type { FormValues, Refusal } from "../ui/form.tsx";
import type { MailPreview } from "../ui/mail-preview.tsx";
import type { TemplateChoice } from "../ui/template-picker.tsx";

type Kind = "incident" | "maintenance";

/**
 * The templates a form may start from and the one it uses (`?template=` on a GET, the form's field on a
 * post).
 */
async function templateChoice(
  c: Context<ConsoleEnv>,
  deps: ConsoleDeps,
  kind: Kind,
  chosenId: string | undefined,
  pickUrl: string,
  target: PreviewTarget,
): Promise<TemplateChoice> {
  const templates = (await run(actionContext(c, deps), listTemplates, {})).filter((t) => t.kind === kind);
  const chosen = chosenId ? templates.find((t) => t.id === chosenId) : undefined;
  return { templates, chosen, pickUrl, previewUrl: chosen && previewUrl(chosen.id, target) };
}

/**
 * The incident screen, with the form a refusal or a preview belongs to kept open and filled in;
 * `chosen`: the update form's template choice (none chosen unless given).
 */
export async function incidentDetail(
  c: Context<ConsoleEnv>,
  deps: ConsoleDeps,
  id: string,
  active?: IncidentScreenProps["active"],
  status: ContentfulStatusCode = 200,
  chosen?: TemplateChoice,
): Promise<Response> {
  const ctx = actionContext(c, deps);
  const record = await getIncident(deps.db, id);
  const [page, components, deliveries, scheduled, settings, command] = await Promise.all([
    getPage(deps.db),
    listComponents(deps.db),
    run(ctx, incidentDeliveries, { id }),
    readScheduledUpdates(deps.db, id),
    schedulerSettings(ctx),
    incidentCommandView(deps.db, record, deps.clock.now()),
  ]);
  const templates =
    chosen ??
    (await templateChoice(c, deps, record.kind, undefined, `/admin/incidents/${id}#post`, { incidentId: id }));
  return render(
    c,
    <IncidentScreen
      session={c.get("session")}
      page={page}
      record={record}
      view={incidentView(record)}
      components={components}
      deliveries={deliveries}
      scheduled={scheduled}
      now={deps.clock.now()}
      done={c.req.query("done")}
      active={active}
      templates={templates}
      defaultCadence={defaultCadenceFor(record.kind, settings)}
      command={command}
    />,
    status,
  );
}

export function incidentRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const choose = (
    c: Context<ConsoleEnv>,
    kind: Kind,
    chosenId: string | undefined,
    pickUrl: string,
    target: PreviewTarget,
  ) => templateChoice(c, deps, kind, chosenId, pickUrl, target);
  const withPreview = async (
    c: Context<ConsoleEnv>,
    choice: TemplateChoice,
    form: FormValues,
    target: PreviewTarget,
  ): Promise<{ choice: TemplateChoice; refusal?: Refusal; ok: boolean }> => {
    if (!choice.chosen) return { choice, ok: true };
    const result = await previewFromForm(actionContext(c, deps), form, target);
    if (result.ok) return { choice: { ...choice, preview: result.value }, ok: true };
    return {
      choice: { ...choice, previewProblem: previewProblem(result.refusal) },
      refusal: result.refusal,
      ok: false,
    };
  };

  /** The mail a post would send (the Preview button), planned by core as posting would plan it. */
  const mailPreviewOf = async (run: () => Promise<PostPreview>): Promise<MailPreview> => {
    const result = await attempt(run);
    return result.ok ? { mail: result.value.mail } : { problem: result.refusal.message };
  };

  const openForm = async (
    c: Context<ConsoleEnv>,
    kind: Kind,
    form: FormValues,
    extra: {
      refusal?: Refusal | undefined;
      previewHtml?: string | undefined;
      templates: TemplateChoice;
      mailPreview?: MailPreview | undefined;
    },
    status: ContentfulStatusCode = 200,
  ) => {
    const [page, components, settings] = await Promise.all([
      getPage(deps.db),
      listComponents(deps.db),
      schedulerSettings(actionContext(c, deps)),
    ]);
    const props = {
      session: c.get("session"),
      pageName: page.name,
      components,
      form,
      defaultCadence: defaultCadenceFor(kind, settings),
      ...extra,
    };
    return render(
      c,
      kind === "incident" ? <OpenIncidentScreen {...props} /> : <ScheduleMaintenanceScreen {...props} />,
      status,
    );
  };
  const newPath = (kind: Kind) => (kind === "incident" ? "/admin/incidents/new" : "/admin/maintenance/new");
  const openGet = async (c: Context<ConsoleEnv>, kind: Kind) => {
    // The form is shown only to whom the action would accept (its definition holds the role).
    requireRole(actionContext(c, deps), openIncident.role, openIncident.doing);
    const choice = await choose(c, kind, c.req.query("template"), newPath(kind), { kind });
    const form = choice.chosen ? formFromTemplate(choice.chosen) : {};
    return openForm(c, kind, form, { templates: (await withPreview(c, choice, form, { kind })).choice });
  };
  const openPost = async (c: Context<ConsoleEnv>, kind: Kind) => {
    const form = c.get("form");
    const choice = await choose(c, kind, form.template, newPath(kind), { kind });
    if (form._preview) {
      const ctx = actionContext(c, deps);
      const mailPreview = await mailPreviewOf(() => run(ctx, previewOpen, openInputFromForm(form, kind)));
      if (!choice.chosen)
        return openForm(c, kind, form, { ...(await formPreview(ctx, form, "update")), templates: choice, mailPreview });
      const previewed = await withPreview(c, choice, form, { kind });
      return openForm(
        c,
        kind,
        form,
        { refusal: previewed.refusal, templates: previewed.choice, mailPreview },
        previewed.ok ? 200 : 422,
      );
    }
    const result = await attempt(() => run(actionContext(c, deps), openIncident, openInputFromForm(form, kind)));
    if (!result.ok) return openForm(c, kind, form, { refusal: result.refusal, templates: choice }, result.status);
    if (result.value.outcome === "scheduled") return done(c, "/admin", "opening-scheduled");
    return done(c, `/admin/incidents/${result.value.incident.id}`, kind === "incident" ? "opened" : "scheduled");
  };
  app.get("/incidents/new", (c) => openGet(c, "incident"));
  app.post("/incidents/new", (c) => openPost(c, "incident"));
  app.get("/maintenance/new", (c) => openGet(c, "maintenance"));
  app.post("/maintenance/new", (c) => openPost(c, "maintenance"));

  const detail = (
    c: Context<ConsoleEnv>,
    active?: IncidentScreenProps["active"],
    status: ContentfulStatusCode = 200,
    chosen?: TemplateChoice,
  ) => incidentDetail(c, deps, c.req.param("id") ?? "", active, status, chosen);
  /** The update form's templates: those of the incident's kind. */
  const updateChoice = async (c: Context<ConsoleEnv>, chosenId: string | undefined) => {
    const id = c.req.param("id") ?? "";
    const record = await getIncident(deps.db, id);
    return choose(c, record.kind, chosenId, `/admin/incidents/${id}#post`, { incidentId: id });
  };
  app.get("/incidents/:id", async (c) => {
    const chosenId = c.req.query("template");
    if (!chosenId) return detail(c);
    const choice = await updateChoice(c, chosenId);
    if (!choice.chosen) return detail(c, undefined, 200, choice);
    const values = formFromTemplate(choice.chosen);
    const previewed = await withPreview(c, choice, values, { incidentId: c.req.param("id") });
    return detail(c, { form: "update", values }, 200, previewed.choice);
  });

  app.post("/incidents/:id/updates", async (c) => {
    const form = c.get("form");
    const choice = await updateChoice(c, form.template);
    if (form._preview) {
      const mailPreview = await mailPreviewOf(() =>
        run(actionContext(c, deps), previewUpdate, { id: c.req.param("id"), ...updateInputFromForm(form) }),
      );
      if (!choice.chosen)
        return detail(
          c,
          { form: "update", values: form, ...(await formPreview(actionContext(c, deps), form, "update")), mailPreview },
          200,
          choice,
        );
      const previewed = await withPreview(c, choice, form, { incidentId: c.req.param("id") });
      const active = { form: "update" as const, values: form, refusal: previewed.refusal, mailPreview };
      return detail(c, active, previewed.ok ? 200 : 422, previewed.choice);
    }
    const result = await attempt(() =>
      run(actionContext(c, deps), postUpdate, { ...updateInputFromForm(form), id: c.req.param("id") }),
    );
    if (!result.ok) return detail(c, { form: "update", values: form, refusal: result.refusal }, result.status, choice);
    const posted = result.value;
    const outcome = posted.outcome === "scheduled" ? "timed" : posted.incident.resolved_at ? "resolved" : "posted";
    return done(c, `/admin/incidents/${c.req.param("id")}`, outcome);
  });

  app.post("/incidents/:id/resolve", async (c) => {
    const form = c.get("form");
    // The resolve form posts now: it has no publish time.
    const { publish_at: _, ...input } = updateInputFromForm(form);
    const result = await attempt(() => run(actionContext(c, deps), postUpdate, { ...input, id: c.req.param("id") }));
    if (!result.ok) return detail(c, { form: "resolve", values: form, refusal: result.refusal }, result.status);
    return done(c, `/admin/incidents/${c.req.param("id")}`, "resolved");
  });

  app.post("/incidents/:id/reopen", async (c) => {
    const form = c.get("form");
    const result = await attempt(() =>
      run(actionContext(c, deps), reopenIncident, reopenInputFromForm(form, c.req.param("id"))),
    );
    if (!result.ok) return detail(c, { form: "reopen", values: form, refusal: result.refusal }, result.status);
    return done(c, `/admin/incidents/${c.req.param("id")}`, "reopened");
  });

  app.post("/incidents/:id/updates/:updateId", async (c) => {
    const form = c.get("form");
    const name = `edit:${c.req.param("updateId")}` as const;
    if (form._preview)
      return detail(c, { form: name, values: form, ...(await formPreview(actionContext(c, deps), form, "update")) });
    const input = editUpdateInputFromForm(form, c.req.param("id"), c.req.param("updateId"));
    const result = await attempt(() => run(actionContext(c, deps), editUpdate, input));
    if (!result.ok) return detail(c, { form: name, values: form, refusal: result.refusal }, result.status);
    return done(c, `/admin/incidents/${c.req.param("id")}`, "edited");
  });

  app.post("/incidents/:id/postmortem", async (c) => {
    const form = c.get("form");
    if (form._preview) {
      const preview = await formPreview(actionContext(c, deps), form, "postmortem");
      return detail(c, { form: "postmortem", values: form, ...preview });
    }
    const input = postmortemInputFromForm(form, c.req.param("id"));
    const result = await attempt(() => run(actionContext(c, deps), writePostmortem, input));
    if (!result.ok) return detail(c, { form: "postmortem", values: form, refusal: result.refusal }, result.status);
    return done(c, `/admin/incidents/${c.req.param("id")}`, "postmortem");
  });
}
