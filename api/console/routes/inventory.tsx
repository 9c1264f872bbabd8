/** @jsxImportSource hono/jsx */
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { run } from "../../../core/actions/run.ts";
import {
  createChecklistItem,
  deleteChecklistItem,
  editChecklistItem,
} from "../../../core/inventory/checklist-items.ts";
import { setLinks, setOwner, setUptimeTarget } from "../../../core/inventory/edit-inventory.ts";
import { moveStage } from "../../../core/inventory/move-stage.ts";
import { listChecklistItems, readInventory, readInventoryCard } from "../../../core/inventory/read-inventory.ts";
import { tickItem, untickItem } from "../../../core/inventory/tick-item.ts";
import { getPage } from "../../../core/page/get-page.ts";
import { listPeople } from "../../../core/people/list-people.ts";
import { attempt, done, render } from "../render.ts";
import { type ChecklistItemsProps, ChecklistItemsScreen } from "../screens/checklist-items.tsx";
import { InventoryScreen } from "../screens/inventory.tsx";
import { type InventoryCardProps, InventoryCardScreen } from "../screens/inventory-card.tsx";
import { actionContext, type ConsoleDeps, type ConsoleEnv } from "../session.ts";

type CardForm = NonNullable<InventoryCardProps["form"]>;

/** An empty field clears the value it stands for. */
const orNull = (value: string | undefined) => (value === undefined || value.trim() === "" ? null : value);

export function inventoryRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  app.get("/inventory", async (c) => {
    const [page, inventory] = await Promise.all([getPage(deps.db), run(actionContext(c, deps), readInventory, {})]);
    return render(
      c,
      <InventoryScreen
        session={c.get("session")}
        pageName={page.name}
        inventory={inventory}
        done={c.req.query("done")}
      />,
    );
  });

  const checklistScreen = async (
    c: Context<ConsoleEnv>,
    form?: ChecklistItemsProps["form"],
    status?: ContentfulStatusCode,
  ) => {
    const [page, items] = await Promise.all([getPage(deps.db), run(actionContext(c, deps), listChecklistItems, {})]);
    const props = { session: c.get("session"), pageName: page.name, items, form, done: c.req.query("done") };
    return render(c, <ChecklistItemsScreen {...props} />, status);
  };
  app.get("/inventory/checklist", (c) => checklistScreen(c));

  const checklistPost = (
    path: string,
    formName: (c: Context<ConsoleEnv>) => string,
    work: (c: Context<ConsoleEnv>) => Promise<unknown>,
    what: string,
  ) =>
    app.post(path, async (c) => {
      const result = await attempt(() => work(c));
      if (!result.ok)
        return checklistScreen(c, { name: formName(c), values: c.get("form"), refusal: result.refusal }, result.status);
      return done(c, "/admin/inventory/checklist", what);
    });
  checklistPost(
    "/inventory/checklist",
    () => "new",
    (c) => run(actionContext(c, deps), createChecklistItem, { label: c.get("form").label ?? "" }),
    "created",
  );
  checklistPost(
    "/inventory/checklist/:item",
    (c) => c.req.param("item") ?? "",
    (c) => {
      const { label, position } = c.get("form");
      return run(actionContext(c, deps), editChecklistItem, {
        id: c.req.param("item") ?? "",
        label,
        position: position === undefined || position === "" ? undefined : Number(position),
      });
    },
    "saved",
  );
  checklistPost(
    "/inventory/checklist/:item/delete",
    (c) => c.req.param("item") ?? "",
    (c) => run(actionContext(c, deps), deleteChecklistItem, { id: c.req.param("item") ?? "" }),
    "deleted",
  );

  const cardScreen = async (c: Context<ConsoleEnv>, form?: CardForm, status?: ContentfulStatusCode) => {
    const ctx = actionContext(c, deps);
    const [page, card, team] = await Promise.all([
      getPage(deps.db),
      run(ctx, readInventoryCard, { id: c.req.param("id") ?? "" }),
      run(ctx, listPeople, {}),
    ]);
    const props = {
      session: c.get("session"),
      pageName: page.name,
      card,
      people: team.people,
      form,
      done: c.req.query("done"),
    };
    return render(c, <InventoryCardScreen {...props} />, status);
  };
  app.get("/inventory/:id", (c) => cardScreen(c));

  const cardPost = (
    name: Exclude<CardForm["name"], "checklist"> | "tick" | "untick",
    work: (c: Context<ConsoleEnv>, id: string) => Promise<unknown>,
    what: string,
  ) =>
    app.post(`/inventory/:id/${name}`, async (c) => {
      const id = c.req.param("id") ?? "";
      const result = await attempt(() => work(c, id));
      if (!result.ok) {
        // A refused tick has no form of its own: the refusal shows above the card.
        const formName = name === "tick" || name === "untick" ? "checklist" : name;
        return cardScreen(c, { name: formName, values: c.get("form"), refusal: result.refusal }, result.status);
      }
      return done(c, `/admin/inventory/${id}`, what);
    });
  cardPost(
    "owner",
    (c, id) => {
      const form = c.get("form");
      return run(actionContext(c, deps), setOwner, {
        id,
        owner_team: orNull(form.owner_team),
        owner_person_id: orNull(form.owner_person_id),
      });
    },
    "saved",
  );
  cardPost(
    "links",
    (c, id) => {
      const form = c.get("form");
      return run(actionContext(c, deps), setLinks, {
        id,
        runbook_url: orNull(form.runbook_url),
        repository_url: orNull(form.repository_url),
        dashboard_url: orNull(form.dashboard_url),
      });
    },
    "saved",
  );
  cardPost(
    "target",
    (c, id) => run(actionContext(c, deps), setUptimeTarget, { id, uptime_target: orNull(c.get("form").uptime_target) }),
    "saved",
  );
  cardPost(
    "stage",
    (c, id) => {
      const { stage, reason } = c.get("form");
      return run(actionContext(c, deps), moveStage, { id, stage: stage ?? "", reason: orNull(reason) ?? undefined });
    },
    "stage-moved",
  );
  for (const [name, operation] of [
    ["tick", tickItem],
    ["untick", untickItem],
  ] as const) {
    cardPost(name, (c, id) => run(actionContext(c, deps), operation, { id, item: c.get("form").item ?? "" }), "saved");
  }
}
