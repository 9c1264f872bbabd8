/** @jsxImportSource hono/jsx */
import type { PostPreview } from "../../../core/incidents/preview-post.ts";

/** The mail a post would send, as the Preview button planned it; or why it could not be planned yet. */
export type MailPreview = { mail: PostPreview["mail"] } | { problem: string };

/** The subject and text part subscribers would get (the HTML part carries the same message and status). */
export function MailPreviewPane(props: { id: string; preview: MailPreview | undefined }) {
  const { preview } = props;
  if (!preview) return null;
  return (
    <section class="mail-preview" aria-labelledby={`${props.id}-h`} id={props.id}>
      <p class="preview-label" id={`${props.id}-h`}>
        Preview: the mail subscribers get
      </p>
      {"problem" in preview ? (
        <p class="meta">{`Not previewed: ${preview.problem}`}</p>
      ) : preview.mail === null ? (
        <p class="meta">This post notifies no one (notifications are off for it).</p>
      ) : (
        <div class="mail-box">
          <p class="mail-subject">
            <span class="meta">Subject</span> {preview.mail.subject}
          </p>
          {/* Focusable: a long mail scrolls inside its box, and a keyboard must reach it. */}
          <pre class="mail-text" tabindex={0}>
            {preview.mail.text}
          </pre>
        </div>
      )}
    </section>
  );
}
