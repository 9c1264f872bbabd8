/** @jsxImportSource hono/jsx */

import type { ConsoleSession } from "../../../core/console/sessions.ts";
import { KIND_LABELS } from "../../../core/presentation/status.ts";
import type { TemplateView } from "../../../core/templates/template-view.ts";
import { Icon } from "../ui/icons.tsx";
import { Layout, Notice, PageHead } from "../ui/layout.tsx";
import { UpdateStatusBadge } from "../ui/status.tsx";

export function TemplateListScreen(props: {
  session: ConsoleSession;
  pageName: string;
  templates: TemplateView[];
  done?: string | undefined;
}) {
  const canChange = props.session.actor.role !== "viewer";
  return (
    <Layout title="Templates" section="templates" session={props.session} pageName={props.pageName}>
      <PageHead
        title="Templates"
        lead="Wording for each stage of an incident or a maintenance: pick one when you open or update."
        actions={
          canChange && (
            <a class="btn btn-primary" href="/admin/templates/new">
              <Icon name="plus" /> New template
            </a>
          )
        }
      />
      <Notice done={props.done} />
      <section class="card" aria-labelledby="templates-h">
        <div class="card-h">
          <h2 id="templates-h">All templates</h2>
          <p>{`${props.templates.length} template${props.templates.length === 1 ? "" : "s"}`}</p>
        </div>
        {props.templates.length === 0 ? (
          <p class="empty">No templates yet.</p>
        ) : (
          <ul class="list">
            {props.templates.map((t) => (
              <li class="row">
                <div class="grow">
                  <a class="title-link" href={`/admin/templates/${t.id}`}>
                    {t.name}
                  </a>
                  <div class="meta">
                    {`${KIND_LABELS[t.kind]} · `}
                    <span class="mono">{t.id}</span>
                  </div>
                </div>
                <UpdateStatusBadge status={t.status} />
                <span class="pill">{t.source === "stock" ? "Stock" : "Own"}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Layout>
  );
}
