/** The JSON text of templates/email/*.mustache, as `npm run mail:templates` writes it. */
export function bundleEmailTemplates(): Promise<string>;
