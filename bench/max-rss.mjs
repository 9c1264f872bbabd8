// Preloaded into a measured Node process (NODE_OPTIONS=--import): writes its peak RSS in MB on exit,
// and the CPU seconds it used (user + system) to the same file name + ".cpu".
// On Linux the peak is VmHWM, this process's own: getrusage's maxrss (resourceUsage) starts from the RSS
// of the parent that spawned it (the bench, holding a seeded history), which it then reported instead.
import { readFileSync, writeFileSync } from "node:fs";

function peakRssMb() {
  try {
    const kb = /^VmHWM:\s*(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
    if (kb) return Number(kb) / 1024;
  } catch {
    // Not Linux: fall back to getrusage.
  }
  return process.resourceUsage().maxRSS / 1024;
}

process.on("exit", () => {
  if (process.env.HERALD_RSS_FILE) {
    const usage = process.resourceUsage();
    writeFileSync(process.env.HERALD_RSS_FILE, String(peakRssMb()));
    writeFileSync(`${process.env.HERALD_RSS_FILE}.cpu`, String((usage.userCPUTime + usage.systemCPUTime) / 1e6));
  }
});
