/** @jsxImportSource hono/jsx */
import type { ConsoleSession } from "../../../core/console/sessions.ts";
import type { InventoryCard } from "../../../core/inventory/inventory-view.ts";
import { INVENTORY_STAGES } from "../../../core/inventory/schemas.ts";
import type { PersonSummary } from "../../../core/people/schemas.ts";
import { Card } from "../ui/card.tsx";
import { errorsFor, Field, type FormValues, PostForm, type Refusal, RefusalSummary, SelectField } from "../ui/form.tsx";
import { Layout, Notice, PageHead } from "../ui/layout.tsx";
import { Time } from "../ui/time.tsx";
import { EntryLinks, ownerText, STAGE_LABEL } from "./inventory.tsx";

export type InventoryCardProps = {
  session: ConsoleSession;
  pageName: string;
  card: InventoryCard;
  people: PersonSummary[];
  /** The form that was refused, shown again with its values. */
  form?:
    | { name: "owner" | "links" | "target" | "stage" | "checklist"; values: FormValues; refusal: Refusal }
    | undefined;
  done?: string | undefined;
};

function Checklist(props: InventoryCardProps & { canChange: boolean }) {
  const { card } = props;
  return (
    <Card
      id="checklist"
      title="Production checklist"
      aside={`${card.checklist.done} of ${card.checklist.total} ticked`}
    >
      <ul class="list">
        {card.items.map((item) => (
          <li>
            <div class="row">
              <div class="grow">
                <strong>{item.label}</strong>
                <div class="meta">
                  {item.ticked ? (
                    <>
                      {`Ticked by ${item.ticked.by}, `}
                      <Time at={item.ticked.at} />
                    </>
                  ) : (
                    "Not ticked"
                  )}
                </div>
              </div>
              {props.canChange && (
                <PostForm
                  action={`/admin/inventory/${card.id}/${item.ticked ? "untick" : "tick"}`}
                  csrf={props.session.csrfToken}
                  class="inline"
                >
                  <input type="hidden" name="item" value={item.id} />
                  <button class="btn btn-small" type="submit">
                    {item.ticked ? "Untick" : "Tick"}
                    <span class="sr-only">{` ${item.label}`}</span>
                  </button>
                </PostForm>
              )}
            </div>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function StageCard(props: InventoryCardProps & { canChange: boolean }) {
  const { card } = props;
  const refused = props.form?.name === "stage" ? props.form : undefined;
  const movable = (INVENTORY_STAGES as readonly string[]).includes(card.stage);
  // The reason is asked for once a move to production was refused for want of one (no script needed).
  const askReason = refused !== undefined && errorsFor(refused.refusal, "reason").length > 0;
  return (
    <Card id="stage" title="Stage" aside={STAGE_LABEL[card.stage]} padded>
      {!movable && (
        <p class="readonly">{`${card.name} is ${card.stage}: deprecation and sunset have their own controls.`}</p>
      )}
      {props.canChange && movable && (
        <PostForm action={`/admin/inventory/${card.id}/stage`} csrf={props.session.csrfToken} label="Move to a stage">
          <SelectField
            id="stage-to"
            label="Move to"
            name="stage"
            chosen={refused?.values.stage ?? card.stage}
            choices={INVENTORY_STAGES.map((stage) => [stage, STAGE_LABEL[stage]] as const)}
            help={
              card.checklist.missing.length > 0
                ? `Production asks for a reason while ${card.checklist.missing.length} checklist item(s) are unticked.`
                : "Every checklist item is ticked."
            }
            errors={refused ? errorsFor(refused.refusal, "stage") : []}
          />
          {askReason && (
            <Field
              id="stage-reason"
              label="Reason"
              help={`Unticked: ${card.checklist.missing.map((m) => m.label).join("; ")}. The reason is kept with the move.`}
              errors={errorsFor(refused?.refusal, "reason")}
            >
              {(aria) => (
                <textarea {...aria} class="short" name="reason" required>
                  {refused?.values.reason ?? ""}
                </textarea>
              )}
            </Field>
          )}
          <button class="btn btn-primary" type="submit">
            Move
          </button>
        </PostForm>
      )}
      {card.stage_changes.length > 0 && (
        <>
          <p class="preview-label">History</p>
          <ul class="tips">
            {card.stage_changes.map((change) => (
              <li>
                {`${STAGE_LABEL[change.from]} → ${STAGE_LABEL[change.to]} by ${change.by}, `}
                <Time at={change.at} />
                {change.reason !== null && <div class="meta">{`Reason: ${change.reason}`}</div>}
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}

function OwnerForm(props: InventoryCardProps) {
  const { card } = props;
  const refused = props.form?.name === "owner" ? props.form : undefined;
  const team = refused ? (refused.values.owner_team ?? "") : card.owner?.kind === "team" ? card.owner.name : "";
  const person = refused
    ? (refused.values.owner_person_id ?? "")
    : card.owner?.kind === "person"
      ? (card.owner.id ?? "")
      : "";
  return (
    <PostForm action={`/admin/inventory/${card.id}/owner`} csrf={props.session.csrfToken} label="Owner">
      <div class="field-row">
        <SelectField
          id="owner-person"
          label="Person"
          name="owner_person_id"
          chosen={person}
          choices={[["", "Nobody"], ...props.people.map((p) => [p.id, p.name] as const)]}
          errors={refused ? errorsFor(refused.refusal, "owner_person_id") : []}
        />
        <Field
          id="owner-team"
          label="Or a team"
          help="A team's name; leave both empty for no owner."
          errors={refused ? errorsFor(refused.refusal, "owner_team") : []}
        >
          {(aria) => <input {...aria} type="text" name="owner_team" value={team} maxlength={120} />}
        </Field>
      </div>
      <button class="btn" type="submit">
        Save owner
      </button>
    </PostForm>
  );
}

const LINK_FIELDS = [
  ["runbook_url", "Runbook"],
  ["repository_url", "Repository"],
  ["dashboard_url", "Dashboard"],
] as const;

function LinksForm(props: InventoryCardProps) {
  const { card } = props;
  const refused = props.form?.name === "links" ? props.form : undefined;
  return (
    <PostForm action={`/admin/inventory/${card.id}/links`} csrf={props.session.csrfToken} label="Links">
      {LINK_FIELDS.map(([name, label]) => (
        <Field id={`link-${name}`} label={label} errors={refused ? errorsFor(refused.refusal, name) : []}>
          {(aria) => (
            <input
              {...aria}
              type="text"
              inputmode="url"
              name={name}
              placeholder="https://"
              value={refused ? (refused.values[name] ?? "") : (card[name] ?? "")}
            />
          )}
        </Field>
      ))}
      <button class="btn" type="submit">
        Save links
      </button>
    </PostForm>
  );
}

function TargetForm(props: InventoryCardProps) {
  const { card } = props;
  const refused = props.form?.name === "target" ? props.form : undefined;
  return (
    <PostForm action={`/admin/inventory/${card.id}/target`} csrf={props.session.csrfToken} label="Uptime target">
      <Field
        id="uptime-target"
        label="Uptime target (%)"
        help="What the reliability review measures this component against, e.g. 99.9; empty for none."
        errors={refused ? errorsFor(refused.refusal, "uptime_target") : []}
      >
        {(aria) => (
          <input
            {...aria}
            type="text"
            inputmode="decimal"
            name="uptime_target"
            value={refused ? (refused.values.uptime_target ?? "") : (card.uptime_target ?? "")}
          />
        )}
      </Field>
      <button class="btn" type="submit">
        Save target
      </button>
    </PostForm>
  );
}

export function InventoryCardScreen(props: InventoryCardProps) {
  const { card } = props;
  const canChange = props.session.actor.role !== "viewer";
  return (
    <Layout title={`${card.name} · Inventory`} section="inventory" session={props.session} pageName={props.pageName}>
      <PageHead
        title={card.name}
        lead={`${STAGE_LABEL[card.stage]} · ${ownerText(card)}`}
        crumbs={<a href="/admin/inventory">Inventory</a>}
      />
      <Notice done={props.done} />
      <RefusalSummary refusal={props.form?.refusal} />
      <div class="cols">
        <div class="grid">
          <Checklist {...props} canChange={canChange} />
          <StageCard {...props} canChange={canChange} />
        </div>
        <Card id="about" title="Owner, links and target" padded>
          {canChange ? (
            <div class="actions-stack">
              <OwnerForm {...props} />
              <hr class="sep" />
              <LinksForm {...props} />
              <hr class="sep" />
              <TargetForm {...props} />
            </div>
          ) : (
            <>
              <dl class="kv">
                <dt>Owner</dt>
                <dd>{ownerText(card)}</dd>
                <dt>Uptime target</dt>
                <dd>{card.uptime_target === null ? "None" : `${card.uptime_target} %`}</dd>
              </dl>
              <EntryLinks entry={card} />
            </>
          )}
        </Card>
      </div>
    </Layout>
  );
}
