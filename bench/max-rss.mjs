// Preloaded into a measured Node process (NODE_OPTIONS=--import): writes its peak RSS in MB on exit.
import { writeFileSync } from "node:fs";

process.on("exit", () => {
  if (process.env.HERALD_RSS_FILE)
    writeFileSync(process.env.HERALD_RSS_FILE, String(process.resourceUsage().maxRSS / 1024));
});
