import { chromium } from "playwright-core";
const [url, out, width = "1000", scheme = "light"] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
const p = await b.newPage({ viewport: { width: Number(width), height: 800 }, colorScheme: scheme });
await p.goto(url);
await p.screenshot({ path: out, fullPage: true });
await b.close();
