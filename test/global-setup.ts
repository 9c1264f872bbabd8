import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The e2e tests run the built system (`dist/` and `site/dist/`): build it when the sources changed. */
export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  execFileSync(process.execPath, ["scripts/build.mjs", "--if-stale"], { cwd: root, stdio: "inherit" });
}
