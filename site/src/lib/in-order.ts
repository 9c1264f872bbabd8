/**
 * Renders a long list one item at a time. Astro renders an array's items all at once, buffering every
 * item after the first whose rendering awaits (an `Entry` awaits the page for its time zone), so that
 * they can wait in parallel: a busy month's 2,800 incidents held ~130 MB of buffers at once. The items
 * of a generator are rendered in turn, each written out before the next begins.
 */
export function* inOrder<T, R>(items: readonly T[], render: (item: T) => R): Generator<R> {
  for (const item of items) yield render(item);
}
