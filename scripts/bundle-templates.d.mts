/** The JSON text of templates/email/*.mustache, as `npm run templates` writes it. */
export function bundleEmailTemplates(): Promise<string>;
/** The JSON text of templates/incidents/*.md and templates/maintenance/*.md, as `npm run templates` writes it. */
export function bundleStockTemplates(): Promise<string>;
/** One template file: its front matter's fields and the Markdown after it as `body`. */
export function parseTemplateFile(text: string, file: string): Record<string, unknown>;
