// Bundles templates/email/*.mustache into templates/email/templates.json, which core/ imports (JSON imports
// work in Node, esbuild, Vite and workerd alike; a .mustache file does not). Run after editing a template:
// `npm run mail:templates`. test/unit/email-templates-bundle.test.ts fails while the bundle is stale.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

const DIR = join(import.meta.dirname, "../templates/email");

export async function bundleEmailTemplates() {
  const names = (await readdir(DIR)).filter((name) => name.endsWith(".mustache")).sort();
  const templates = {};
  for (const name of names) templates[name.replace(/\.mustache$/, "")] = await readFile(join(DIR, name), "utf8");
  return `${JSON.stringify(templates, null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile(join(DIR, "templates.json"), await bundleEmailTemplates());
  console.log("wrote templates/email/templates.json");
}
