import type { ActionContext } from "../../core/actions/context.ts";
import { HeraldError } from "../../core/actions/errors.ts";
import { run } from "../../core/actions/run.ts";
import { previewBody } from "../../core/incidents/preview-body.ts";
import { type FormValues, type Refusal, refusalOf } from "./ui/form.tsx";

/** The no-JavaScript preview button: the same preview as the live one, and nothing is written. */
export async function formPreview(
  ctx: ActionContext,
  form: FormValues,
  kind: "update" | "postmortem",
): Promise<{ previewHtml?: string; refusal?: Refusal }> {
  if (!form.body?.trim()) return { previewHtml: "" };
  try {
    return { previewHtml: await run(ctx, previewBody, { kind, body: form.body.replace(/\r\n/g, "\n") }) };
  } catch (error) {
    if (error instanceof HeraldError) return { refusal: refusalOf(error) };
    throw error;
  }
}
