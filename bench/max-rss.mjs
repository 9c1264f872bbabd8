// Preloaded into a measured Node process (NODE_OPTIONS=--import): writes its peak RSS in MB on exit,
// and the CPU seconds it used (user + system) to the same file name + ".cpu".
import { writeFileSync } from "node:fs";

process.on("exit", () => {
  if (process.env.HERALD_RSS_FILE) {
    const usage = process.resourceUsage();
    writeFileSync(process.env.HERALD_RSS_FILE, String(usage.maxRSS / 1024));
    writeFileSync(`${process.env.HERALD_RSS_FILE}.cpu`, String((usage.userCPUTime + usage.systemCPUTime) / 1e6));
  }
});
