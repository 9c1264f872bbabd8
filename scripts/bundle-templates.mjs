// Bundles the template files into JSON that core/ imports (JSON imports work in Node, esbuild, Vite and
// workerd alike; a .mustache or .md file does not):
// - templates/email/*.mustache → templates/email/templates.json (the mail templates, as text);
// - templates/incidents/*.md and templates/maintenance/*.md → templates/stock-templates.json (the stock
//   update templates: the YAML front matter parsed with `yaml`, the Markdown after it as `body`).
// Run after editing one: `npm run templates`. Unit tests fail while a bundle is stale.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";

const TEMPLATES = join(import.meta.dirname, "../templates");
const EMAIL = join(TEMPLATES, "email");
/** Folder → the `kind` every template in it must have. */
const STOCK_FOLDERS = { incidents: "incident", maintenance: "maintenance" };

export async function bundleEmailTemplates() {
  const names = (await readdir(EMAIL)).filter((name) => name.endsWith(".mustache")).sort();
  const templates = {};
  for (const name of names) templates[name.replace(/\.mustache$/, "")] = await readFile(join(EMAIL, name), "utf8");
  return `${JSON.stringify(templates, null, 2)}\n`;
}

export async function bundleStockTemplates() {
  const templates = [];
  for (const [folder, kind] of Object.entries(STOCK_FOLDERS)) {
    const names = (await readdir(join(TEMPLATES, folder))).filter((name) => name.endsWith(".md")).sort();
    for (const name of names) {
      const file = `templates/${folder}/${name}`;
      const template = parseTemplateFile(await readFile(join(TEMPLATES, folder, name), "utf8"), file);
      if (template.kind !== kind) throw new Error(`${file}: kind must be "${kind}" in templates/${folder}/`);
      templates.push(template);
    }
  }
  return `${JSON.stringify(templates, null, 2)}\n`;
}

/** A Markdown file with YAML front matter between two `---` lines: the front matter's fields and the body. */
export function parseTemplateFile(text, file) {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const end = lines.indexOf("---", 1);
  if (lines[0] !== "---" || end === -1) throw new Error(`${file}: must start with YAML front matter between --- lines`);
  let fields;
  try {
    fields = parseYaml(lines.slice(1, end).join("\n"), { uniqueKeys: true, strict: true });
  } catch (error) {
    throw new Error(`${file}: the front matter is not valid YAML: ${error.message}`);
  }
  if (fields === null || typeof fields !== "object" || Array.isArray(fields))
    throw new Error(`${file}: the front matter must be a YAML mapping`);
  if ("body" in fields) throw new Error(`${file}: the body is the Markdown after the front matter, not a field`);
  return {
    ...fields,
    body: lines
      .slice(end + 1)
      .join("\n")
      .trim(),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile(join(EMAIL, "templates.json"), await bundleEmailTemplates());
  await writeFile(join(TEMPLATES, "stock-templates.json"), await bundleStockTemplates());
  console.log("wrote templates/email/templates.json and templates/stock-templates.json");
}
