import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/**
 * Checks payloads against the `webhooks` of an OpenAPI 3.1 document (JSON Schema 2020-12) with ajv,
 * formats included: `validate(event, payload)` lists what does not match, empty when it conforms.
 */
export function webhookContract(document: { webhooks?: Record<string, unknown> }) {
  // Strict about schemas, except OpenAPI's own keywords around them (paths, info, …).
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictSchema: false });
  addFormats(ajv);
  ajv.addSchema(document, "openapi.json");
  const events = Object.keys(document.webhooks ?? {});
  return {
    events,
    validate(event: string, payload: unknown): string[] {
      if (!events.includes(event)) return [`the document describes no webhook "${event}"`];
      const pointer = `/webhooks/${event}/post/requestBody/content/application~1json/schema`;
      const check = ajv.getSchema(`openapi.json#${pointer}`);
      if (!check) return [`no schema at ${pointer}`];
      return check(payload) ? [] : (check.errors ?? []).map(describe);
    },
  };
}

function describe(error: ErrorObject): string {
  return `${error.instancePath || "/"} ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`;
}
