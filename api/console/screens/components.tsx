/** @jsxImportSource hono/jsx */
import type { ConsoleSession } from "../../../core/console/sessions.ts";
import type { ComponentRow } from "../../../core/model/rows.ts";
import { effectiveStatus, orderComponents } from "../../../core/public/statuspage.ts";
import { ComponentBoard } from "../ui/board.tsx";
import { errorsFor, Field, type FormValues, PostForm, type Refusal, RefusalSummary } from "../ui/form.tsx";
import { Icon } from "../ui/icons.tsx";
import { Layout, Notice, PageHead } from "../ui/layout.tsx";
import { ComponentStatusBadge } from "../ui/status.tsx";
import { RetirementForms, RetirementLine } from "./component-retirement.tsx";

export type ComponentsScreenProps = {
  session: ConsoleSession;
  pageName: string;
  components: ComponentRow[];
  done?: string | undefined;
  /** The form a refusal belongs to: "create" or a component id. */
  active?: { form: string; values: FormValues; refusal: Refusal } | undefined;
};

function GroupSelect(props: { id: string; groups: ComponentRow[]; value: string; errors: string[] }) {
  return (
    <Field id={props.id} label="Group" errors={props.errors}>
      {(aria) => (
        <select {...aria} name="group_id">
          <option value="" selected={props.value === ""}>
            None (top level)
          </option>
          {props.groups.map((g) => (
            <option value={g.id} selected={props.value === g.id}>
              {g.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function EditComponent(props: ComponentsScreenProps & { component: ComponentRow; groups: ComponentRow[] }) {
  const { component: c, session } = props;
  const mine = props.active?.form === c.id ? props.active : undefined;
  const values = mine?.values;
  const refusal = mine?.refusal;
  const checked = (name: string, current: boolean) => (values ? values[name] === "on" : current);
  return (
    <details open={mine !== undefined}>
      <summary>Edit</summary>
      <RefusalSummary refusal={refusal} />
      <PostForm action={`/admin/components/${c.id}`} csrf={session.csrfToken} label={`Edit ${c.name}`}>
        <div class="field-row">
          <Field id={`name-${c.id}`} label="Name" errors={errorsFor(refusal, "name")}>
            {(aria) => <input {...aria} type="text" name="name" value={values?.name ?? c.name} required />}
          </Field>
          {!c.isGroup && (
            <GroupSelect
              id={`group-${c.id}`}
              groups={props.groups}
              value={values?.group_id ?? c.groupId ?? ""}
              errors={errorsFor(refusal, "group_id")}
            />
          )}
        </div>
        <Field id={`desc-${c.id}`} label="Description" errors={errorsFor(refusal, "description")}>
          {(aria) => (
            <textarea {...aria} name="description" rows={2}>
              {values?.description ?? c.description ?? ""}
            </textarea>
          )}
        </Field>
        <input type="hidden" name="flags_shown" value="1" />
        {!c.isGroup && (
          <label class="check field" for={`showcase-${c.id}`}>
            <input type="checkbox" id={`showcase-${c.id}`} name="showcase" checked={checked("showcase", c.showcase)} />
            <span>Show 90-day uptime on the page</span>
          </label>
        )}
        <label class="check field" for={`degraded-${c.id}`}>
          <input
            type="checkbox"
            id={`degraded-${c.id}`}
            name="only_show_if_degraded"
            checked={checked("only_show_if_degraded", c.onlyShowIfDegraded)}
          />
          <span>Only show on the page while not operational</span>
        </label>
        <div class="actions">
          <button class="btn btn-primary" type="submit">
            Save
          </button>
        </div>
      </PostForm>
      {session.actor.role === "admin" && (
        <PostForm
          action={`/admin/components/${c.id}/delete`}
          csrf={session.csrfToken}
          class="spaced"
          confirm={`Delete ${c.name}? This cannot be undone.`}
          label={`Delete ${c.name}`}
          ask={`Delete ${c.isGroup ? "group" : "component"}…`}
        >
          <button class="btn btn-danger btn-small" type="submit">
            {`Yes, delete this ${c.isGroup ? "group" : "component"}`}
          </button>
        </PostForm>
      )}
    </details>
  );
}

function MoveButtons(props: { component: ComponentRow; csrf: string; first: boolean; last: boolean }) {
  const { component: c } = props;
  return (
    <PostForm action={`/admin/components/${c.id}/move`} csrf={props.csrf} class="seg" label={`Move ${c.name}`}>
      <button type="submit" name="direction" value="up" disabled={props.first} aria-label={`Move ${c.name} up`}>
        <Icon name="arrowUp" size={14} />
      </button>
      <button type="submit" name="direction" value="down" disabled={props.last} aria-label={`Move ${c.name} down`}>
        <Icon name="arrowDown" size={14} />
      </button>
    </PostForm>
  );
}

export function ComponentsScreen(props: ComponentsScreenProps) {
  const { session } = props;
  const canChange = session.actor.role !== "viewer";
  const ordered = orderComponents(props.components);
  const groups = ordered.filter((c) => c.isGroup);
  const create = props.active?.form === "create" ? props.active : undefined;
  const siblings = (c: ComponentRow) => ordered.filter((o) => o.groupId === c.groupId);
  return (
    <Layout title="Components" section="components" session={session} pageName={props.pageName}>
      <PageHead title="Components and groups" lead="What your page lists, in the order it lists them." />
      <Notice done={props.done} />
      <div class="cols">
        <div class="grid">
          <section class="card" aria-labelledby="list-h">
            <div class="card-h">
              <h2 id="list-h">Page order</h2>
              <p>{`${ordered.length} in all`}</p>
            </div>
            {ordered.length === 0 ? (
              <p class="empty">No components yet.</p>
            ) : (
              <ul class="list">
                {ordered.map((c) => {
                  const peers = siblings(c);
                  return (
                    <li class={c.groupId ? "child" : undefined}>
                      <div class="row">
                        <div class="grow">
                          <strong>{c.groupId ? `↳ ${c.name}` : c.name}</strong>
                          {c.isGroup && <span class="pill">Group</span>}
                          {c.description && <div class="meta">{c.description}</div>}
                          <RetirementLine component={c} />
                        </div>
                        <ComponentStatusBadge status={effectiveStatus(c, props.components)} />
                        {canChange && (
                          <MoveButtons
                            component={c}
                            csrf={session.csrfToken}
                            first={peers[0]?.id === c.id}
                            last={peers[peers.length - 1]?.id === c.id}
                          />
                        )}
                      </div>
                      {canChange && <EditComponent {...props} component={c} groups={groups} />}
                      {canChange && <RetirementForms component={c} session={session} active={props.active} />}
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
        </div>
        {canChange && (
          <section class="card" aria-labelledby="new-h">
            <div class="card-h">
              <h2 id="new-h">Add a component</h2>
            </div>
            <div class="card-b">
              <RefusalSummary refusal={create?.refusal} />
              <PostForm action="/admin/components" csrf={session.csrfToken} label="Add a component">
                <Field id="new-name" label="Name" errors={errorsFor(create?.refusal, "name")}>
                  {(aria) => <input {...aria} type="text" name="name" value={create?.values.name ?? ""} required />}
                </Field>
                <Field id="new-desc" label="Description" errors={errorsFor(create?.refusal, "description")}>
                  {(aria) => (
                    <textarea {...aria} name="description" rows={2}>
                      {create?.values.description ?? ""}
                    </textarea>
                  )}
                </Field>
                <GroupSelect
                  id="new-group"
                  groups={groups}
                  value={create?.values.group_id ?? ""}
                  errors={errorsFor(create?.refusal, "group_id")}
                />
                <label class="check field" for="new-is-group">
                  <input type="checkbox" id="new-is-group" name="group" checked={create?.values.group === "on"} />
                  <span>This is a group that other components belong to</span>
                </label>
                <button class="btn btn-primary" type="submit">
                  <Icon name="plus" /> Add
                </button>
              </PostForm>
            </div>
          </section>
        )}
      </div>
      <div class="gap-top grid">
        <section class="card" aria-labelledby="status-h">
          <div class="card-h">
            <h2 id="status-h">Statuses</h2>
            <p>{canChange ? "One click sets a status" : "Current statuses"}</p>
          </div>
          <ComponentBoard components={props.components} session={session} back="/admin/components" />
        </section>
      </div>
    </Layout>
  );
}
