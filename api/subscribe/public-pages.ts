import type { Context } from "hono";
import type { ActionContext } from "../../core/actions/context.ts";
import { PUBLIC_ACTOR } from "../../core/actions/context.ts";
import { getPage } from "../../core/page/get-page.ts";
import { paths } from "../../core/public/paths.ts";
import { type LinkSigner, linkSigner } from "../../core/subscribers/signed-links.ts";
import type { AppDeps } from "../admin-route.ts";
import { noteCommits } from "../written.ts";
import { type messagePage, pageCsp, type Shell, shellOf } from "./pages.tsx";

/** What every public subscribe page needs: the public actor's context, the page shell, HTML answers, the link signer. */
export type PublicPages = {
  ctxFor(c: Context): ActionContext;
  shell(): Promise<Shell>;
  /** The subscribe form's address on the page. */
  formUrl(): Promise<string>;
  html(c: Context, body: ReturnType<typeof messagePage>, status?: 200 | 400 | 404 | 410 | 422 | 429): Promise<Response>;
  links(): Promise<LinkSigner>;
};

export function publicPages(deps: AppDeps & { linkSecret?: string | undefined }): PublicPages {
  // Only a settled signer is kept: on Workers a request must not wait on a promise another request's I/O settles.
  let signer: LinkSigner | undefined;
  const shell = async (): Promise<Shell> => shellOf(await getPage(deps.db));
  return {
    ctxFor: (c) => ({
      db: deps.db,
      clock: deps.clock,
      actor: PUBLIC_ACTOR,
      onCommit: noteCommits(c, deps.onCommit),
      settings: deps.settings,
    }),
    shell,
    async formUrl() {
      const page = await getPage(deps.db);
      return `${page.url}${paths.subscribePage()}`;
    },
    async html(c, body, status = 200) {
      c.header("Content-Security-Policy", pageCsp(await shell()));
      c.header("Cache-Control", "no-store");
      c.header("Referrer-Policy", "no-referrer"); // the token stays out of Referer headers
      return c.html(`<!doctype html>${body}`, status);
    },
    async links() {
      signer ??= await linkSigner(deps.db, deps.clock, deps.linkSecret);
      return signer;
    },
  };
}
