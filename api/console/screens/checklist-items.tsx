/** @jsxImportSource hono/jsx */
import type { ConsoleSession } from "../../../core/console/sessions.ts";
import type { ChecklistItemView } from "../../../core/inventory/inventory-view.ts";
import { Card } from "../ui/card.tsx";
import { errorsFor, Field, type FormValues, PostForm, type Refusal, RefusalSummary } from "../ui/form.tsx";
import { Layout, Notice, PageHead } from "../ui/layout.tsx";

export type ChecklistItemsProps = {
  session: ConsoleSession;
  pageName: string;
  items: ChecklistItemView[];
  /** The refused form: `new`, or the id of the item whose edit was refused. */
  form?: { name: string; values: FormValues; refusal: Refusal } | undefined;
  done?: string | undefined;
};

function ItemRow(props: ChecklistItemsProps & { item: ChecklistItemView }) {
  const { item } = props;
  const refused = props.form?.name === item.id ? props.form : undefined;
  const csrf = props.session.csrfToken;
  return (
    <li>
      <div class="row">
        <PostForm
          action={`/admin/inventory/checklist/${item.id}`}
          csrf={csrf}
          class="grow"
          label={`Edit ${item.label}`}
        >
          <div class="field-row wide">
            <Field id={`label-${item.id}`} label="Label" errors={refused ? errorsFor(refused.refusal, "label") : []}>
              {(aria) => (
                <input {...aria} type="text" name="label" value={refused?.values.label ?? item.label} maxlength={120} />
              )}
            </Field>
            <Field
              id={`position-${item.id}`}
              label="Position"
              errors={refused ? errorsFor(refused.refusal, "position") : []}
            >
              {(aria) => (
                <input
                  {...aria}
                  type="number"
                  name="position"
                  min={1}
                  max={props.items.length}
                  value={refused?.values.position ?? String(item.position)}
                />
              )}
            </Field>
          </div>
          <button class="btn btn-small" type="submit">
            Save<span class="sr-only">{` ${item.label}`}</span>
          </button>
        </PostForm>
        <PostForm
          action={`/admin/inventory/checklist/${item.id}/delete`}
          csrf={csrf}
          confirm={`Delete "${item.label}"? Every component's tick of it goes too.`}
          label={`Delete ${item.label}`}
          ask="Delete"
        >
          <button class="btn btn-small btn-danger" type="submit">
            Delete for good
          </button>
        </PostForm>
      </div>
    </li>
  );
}

export function ChecklistItemsScreen(props: ChecklistItemsProps) {
  const admin = props.session.actor.role === "admin";
  const refusedNew = props.form?.name === "new" ? props.form : undefined;
  return (
    <Layout title="Production checklist" section="inventory" session={props.session} pageName={props.pageName}>
      <PageHead
        title="Production checklist"
        lead="What every component should have before it is in production. A component moved to production with items unticked needs a reason."
        crumbs={<a href="/admin/inventory">Inventory</a>}
      />
      <Notice done={props.done} />
      <RefusalSummary refusal={props.form?.refusal} />
      <Card id="items" title="Items" aside={`${props.items.length} items`}>
        {admin ? (
          <ul class="list">
            {props.items.map((item) => (
              <ItemRow {...props} item={item} />
            ))}
          </ul>
        ) : (
          <ol class="tips card-b">
            {props.items.map((item) => (
              <li>{item.label}</li>
            ))}
          </ol>
        )}
      </Card>
      {admin && (
        <Card id="add" title="Add an item" padded>
          <PostForm action="/admin/inventory/checklist" csrf={props.session.csrfToken} label="Add an item">
            <Field id="new-label" label="Label" errors={refusedNew ? errorsFor(refusedNew.refusal, "label") : []}>
              {(aria) => (
                <input
                  {...aria}
                  type="text"
                  name="label"
                  value={refusedNew?.values.label ?? ""}
                  maxlength={120}
                  required
                />
              )}
            </Field>
            <button class="btn btn-primary" type="submit">
              Add
            </button>
          </PostForm>
        </Card>
      )}
    </Layout>
  );
}
