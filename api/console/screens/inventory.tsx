/** @jsxImportSource hono/jsx */
import type { ConsoleSession } from "../../../core/console/sessions.ts";
import type { Inventory, InventoryEntry } from "../../../core/inventory/inventory-view.ts";
import { COMPONENT_STAGES, type ComponentStage } from "../../../db/enums.ts";
import { Card } from "../ui/card.tsx";
import { Layout, Notice, PageHead } from "../ui/layout.tsx";

export const STAGE_LABEL: Record<ComponentStage, string> = {
  prototype: "Prototype",
  development: "Development",
  production: "Production",
  deprecated: "Deprecated",
  sunset: "Sunset",
};

export function ownerText(entry: InventoryEntry): string {
  if (!entry.owner) return "No owner";
  const removed = entry.owner.removed ? " (no longer on the team)" : "";
  return `${entry.owner.kind === "team" ? "Team" : "Owner"}: ${entry.owner.name}${removed}`;
}

export function EntryLinks(props: { entry: InventoryEntry }) {
  const links = (
    [
      ["Runbook", props.entry.runbook_url],
      ["Repository", props.entry.repository_url],
      ["Dashboard", props.entry.dashboard_url],
    ] as [string, string | null][]
  ).flatMap(([label, href]) => (href === null ? [] : [[label, href] as const]));
  if (links.length === 0) return null;
  return (
    <p class="inv-links">
      {links.map(([label, href]) => (
        <a href={href} rel="noopener noreferrer">
          {label}
          <span class="sr-only">{` of ${props.entry.name}`}</span>
        </a>
      ))}
    </p>
  );
}

function Progress(props: { entry: InventoryEntry }) {
  const { done, total } = props.entry.checklist;
  const complete = done === total;
  return (
    <span class={complete ? "pill" : "pill pill-todo"}>
      {`Checklist ${done}/${total}`}
      <span class="sr-only">{complete ? ", complete" : `, ${total - done} missing`}</span>
    </span>
  );
}

function EntryCard(props: { entry: InventoryEntry }) {
  const { entry } = props;
  return (
    <li class="inv-card">
      <a class="title-link" href={`/admin/inventory/${entry.id}`}>
        {entry.name}
      </a>
      <div class="meta">{ownerText(entry)}</div>
      <div class="row spaced">
        <Progress entry={entry} />
        {entry.uptime_target !== null && <span class="meta">{`Target ${entry.uptime_target} %`}</span>}
      </div>
      {entry.sunset_at !== null && <div class="meta">{`Sunset ${entry.sunset_at.slice(0, 10)}`}</div>}
      <EntryLinks entry={entry} />
    </li>
  );
}

function NotReady(props: { inventory: Inventory }) {
  const byId = new Map(props.inventory.components.map((entry) => [entry.id, entry]));
  const rows = (ids: string[]) => ids.flatMap((id) => byId.get(id) ?? []);
  const production = rows(props.inventory.not_ready.production);
  const development = rows(props.inventory.not_ready.development);
  const Row = (p: { entry: InventoryEntry }) => (
    <li>
      <div class="row">
        <div class="grow">
          <a class="title-link" href={`/admin/inventory/${p.entry.id}`}>
            {p.entry.name}
          </a>{" "}
          <span class="meta">{`${STAGE_LABEL[p.entry.stage]} · ${ownerText(p.entry)}`}</span>
          <div class="meta">{`Missing: ${p.entry.checklist.missing.map((m) => m.label).join("; ")}`}</div>
        </div>
        <Progress entry={p.entry} />
      </div>
    </li>
  );
  return (
    <Card
      id="not-ready"
      title="Not ready"
      aside="Production components with unticked checklist items, and development components close to ready"
    >
      {production.length + development.length === 0 ? (
        <p class="empty">Everything in production has its whole checklist ticked.</p>
      ) : (
        <>
          {production.length > 0 && (
            <h3 class="card-sub">{`In production, checklist incomplete (${production.length})`}</h3>
          )}
          <ul class="list">
            {production.map((entry) => (
              <Row entry={entry} />
            ))}
          </ul>
          {development.length > 0 && (
            <h3 class="card-sub">{`In development, close to ready (${development.length})`}</h3>
          )}
          <ul class="list">
            {development.map((entry) => (
              <Row entry={entry} />
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}

export function InventoryScreen(props: {
  session: ConsoleSession;
  pageName: string;
  inventory: Inventory;
  done?: string | undefined;
}) {
  const admin = props.session.actor.role === "admin";
  return (
    <Layout title="Inventory" section="inventory" session={props.session} pageName={props.pageName}>
      <PageHead
        title="Inventory"
        lead="Every component by lifecycle stage: who owns it, where its runbook is, and how much of the production checklist it has."
        actions={
          <a class="btn" href="/admin/inventory/checklist">
            {admin ? "Edit the checklist" : "The checklist"}
          </a>
        }
      />
      <Notice done={props.done} />
      <NotReady inventory={props.inventory} />
      <div class="stages gap-top">
        {COMPONENT_STAGES.map((stage) => {
          const entries = props.inventory.components.filter((entry) => entry.stage === stage);
          return (
            <section class="card stage-col" aria-labelledby={`stage-${stage}-h`}>
              <div class="card-h">
                <h2 id={`stage-${stage}-h`}>{STAGE_LABEL[stage]}</h2>
                <p>{String(entries.length)}</p>
              </div>
              {entries.length === 0 ? (
                <p class="empty">None</p>
              ) : (
                <ul class="list">
                  {entries.map((entry) => (
                    <EntryCard entry={entry} />
                  ))}
                </ul>
              )}
            </section>
          );
        })}
      </div>
    </Layout>
  );
}
