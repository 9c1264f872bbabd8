/**
 * Content render (flow 2 in docs/architecture.md): renders site pages with the Astro server build, without
 * Vite, into the public folder. A change re-renders only the routes it touches, each file replaced
 * atomically; a full render writes a new release folder and switches the `site` symlink to it at once.
 *
 * The parts, one job each: routes.ts (route table), writer.ts (a route rendered and written, or removed),
 * change-pass.ts (a change's routes into the live release, then its follow-ups), follow-up-routes.ts
 * (which history months and component pages follow, from the topics and the release on disk),
 * full-render.ts (every route into a new release), releases.ts (release folders, the symlink switch,
 * pruning), atomic-files.ts (temp + rename, skip unchanged), site-app.ts (the Astro app), queue.ts (one
 * render at a time, follow-up timing) and renderer.ts (putting them together); thread-renderer.ts runs it
 * on a worker thread (server/render-worker.ts, talking by worker-protocol.ts) so that the Node server's event loop never
 * waits behind a render.
 */
export { currentSiteDir } from "./releases.ts";
export { createRenderer, type Renderer, type RendererOptions, type RenderStats, type SiteChange } from "./renderer.ts";
export { ALWAYS_ROUTES, type ComponentRoutes, routeFile, routesForTopics } from "./routes.ts";
export { createThreadRenderer, type ThreadRendererOptions } from "./thread-renderer.ts";
