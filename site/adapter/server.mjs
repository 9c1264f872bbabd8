// The server entry of the build: the renderer imports `app` and calls `app.render(request, { locals })`.
import { createApp } from "astro/app/entrypoint";

export const app = createApp({ streaming: false });
