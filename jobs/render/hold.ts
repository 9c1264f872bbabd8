/**
 * The hold a render runs under (the render lease's, jobs/render-lease.ts): an AbortSignal, or on the render
 * thread its stand-in reading shared memory. Checked before each page and before a release goes live, so
 * a runner that lost the lease stops rendering within one page.
 */
export type Hold = { readonly aborted: boolean };

export class RenderStopped extends Error {
  constructor() {
    super("The render stopped: this runner no longer holds the render lease.");
  }
}

export function checkHold(hold: Hold | undefined): void {
  if (hold?.aborted) throw new RenderStopped();
}
