/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";
import type { ConsoleSession } from "../../../core/console/sessions.ts";
import type { ComponentRow } from "../../../core/model/rows.ts";
import { Card } from "../ui/card.tsx";
import { type FormValues, PostForm, type Refusal, RefusalSummary } from "../ui/form.tsx";
import { Layout, PageHead, type Section } from "../ui/layout.tsx";
import { type MailPreview, MailPreviewPane } from "../ui/mail-preview.tsx";
import { type TemplateChoice, TemplatePickerCard } from "../ui/template-picker.tsx";

export type OpenScreenProps = {
  session: ConsoleSession;
  pageName: string;
  components: ComponentRow[];
  form: FormValues;
  refusal?: Refusal | undefined;
  previewHtml?: string | undefined;
  templates: TemplateChoice;
  /** What the first update promises when it names no next update (`defaultCadenceFor` the kind). */
  defaultCadence: number | null;
  /** The mail the post would send, after the Preview button. */
  mailPreview?: MailPreview | undefined;
};

/** The frame of a screen that opens something: the main card on the left, the publishing cards on the right. */
export function OpenShell(props: {
  title: string;
  section: Section;
  crumbs: Child;
  lead: string;
  action: string;
  mainTitle: string;
  screen: OpenScreenProps;
  main: Child;
  side: Child;
}) {
  return (
    <Layout title={props.title} section={props.section} session={props.screen.session} pageName={props.screen.pageName}>
      <PageHead title={props.title} crumbs={props.crumbs} lead={props.lead} />
      <RefusalSummary refusal={props.screen.refusal} />
      <div class="grid gap-bottom">
        <TemplatePickerCard choice={props.screen.templates} idPrefix="open" refusal={props.screen.refusal} />
      </div>
      <PostForm action={props.action} csrf={props.screen.session.csrfToken} label={props.title}>
        <div class="cols">
          <Card id="what" title={props.mainTitle} padded>
            {props.main}
            <MailPreviewPane id="open-mail-preview" preview={props.screen.mailPreview} />
          </Card>
          <div class="grid">{props.side}</div>
        </div>
      </PostForm>
    </Layout>
  );
}

/** The two ways to leave an open form: do it, or see the preview first (without JavaScript too). */
export function PublishButtons(props: { label: string }) {
  return (
    <div class="actions">
      <button class="btn btn-primary" type="submit">
        {props.label}
      </button>
      <button class="btn" type="submit" name="_preview" value="1" formnovalidate>
        Preview
      </button>
    </div>
  );
}
