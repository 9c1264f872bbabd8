/** @jsxImportSource hono/jsx */
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { run } from "../../../core/actions/run.ts";
import { createComponent } from "../../../core/components/create-component.ts";
import { deleteComponent } from "../../../core/components/delete-component.ts";
import { listComponents } from "../../../core/components/load-components.ts";
import { reorderComponents } from "../../../core/components/reorder-components.ts";
import { updateComponent } from "../../../core/components/update-component.ts";
import { getPage } from "../../../core/page/get-page.ts";
import { orderComponents } from "../../../core/public/statuspage.ts";
import { createComponentFromForm, updateComponentFromForm } from "../component-form.ts";
import { attempt, done, render } from "../render.ts";
import { ComponentsScreen, type ComponentsScreenProps } from "../screens/components.tsx";
import { actionContext, type ConsoleDeps, type ConsoleEnv } from "../session.ts";
import { componentSunsetRoutes } from "./component-sunset.ts";

export function componentRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const screen = async (
    c: Context<ConsoleEnv>,
    active?: ComponentsScreenProps["active"],
    status: ContentfulStatusCode = 200,
  ) => {
    const [page, components] = await Promise.all([getPage(deps.db), listComponents(deps.db)]);
    return render(
      c,
      <ComponentsScreen
        session={c.get("session")}
        pageName={page.name}
        components={components}
        done={c.req.query("done")}
        active={active}
      />,
      status,
    );
  };
  app.get("/components", (c) => screen(c));
  componentSunsetRoutes(app, deps, (c, active, status) => screen(c, active, status));

  app.post("/components", async (c) => {
    const form = c.get("form");
    const result = await attempt(() => run(actionContext(c, deps), createComponent, createComponentFromForm(form)));
    if (!result.ok) return screen(c, { form: "create", values: form, refusal: result.refusal }, result.status);
    return done(c, "/admin/components", "created");
  });

  app.post("/components/:id", async (c) => {
    const form = c.get("form");
    const id = c.req.param("id");
    const result = await attempt(() => run(actionContext(c, deps), updateComponent, updateComponentFromForm(form, id)));
    if (!result.ok) return screen(c, { form: id, values: form, refusal: result.refusal }, result.status);
    return done(c, "/admin/components", "saved");
  });

  app.post("/components/:id/move", async (c) => {
    const id = c.req.param("id");
    const all = await listComponents(deps.db);
    const target = all.find((x) => x.id === id);
    const peers = orderComponents(all)
      .filter((x) => x.groupId === (target?.groupId ?? null))
      .map((x) => x.id);
    const at = peers.indexOf(id);
    const to = at + (c.get("form").direction === "up" ? -1 : 1);
    if (at >= 0 && to >= 0 && to < peers.length) [peers[at], peers[to]] = [peers[to] ?? id, id];
    const result = await attempt(() => run(actionContext(c, deps), reorderComponents, { ids: target ? peers : [id] }));
    if (!result.ok) return screen(c, { form: id, values: {}, refusal: result.refusal }, result.status);
    return done(c, "/admin/components", "reordered");
  });

  app.post("/components/:id/delete", async (c) => {
    const id = c.req.param("id");
    const result = await attempt(() => run(actionContext(c, deps), deleteComponent, { id }));
    if (!result.ok) return screen(c, { form: id, values: {}, refusal: result.refusal }, result.status);
    return done(c, "/admin/components", "deleted");
  });
}
