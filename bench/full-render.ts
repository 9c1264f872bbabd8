// Runs one full render of the site for the database in argv[2] into argv[3]; prints JSON figures.
import { createDb } from "../db/client.ts";
import { createRenderer } from "../jobs/render/index.ts";

const [url, dataDir, siteDist] = process.argv.slice(2);
if (!url || !dataDir || !siteDist) throw new Error("usage: full-render.ts <DATABASE_URL> <dataDir> <siteDist>");
const db = createDb({ url });
const renderer = await createRenderer({ db, dataDir, siteDist });
const started = performance.now();
const stats = await renderer.renderAll();
console.log(JSON.stringify({ ms: performance.now() - started, routes: stats.routes }));
db.$client.close();
