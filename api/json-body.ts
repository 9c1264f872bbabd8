import type { Context } from "hono";
import type { FieldError } from "../core/errors.ts";
import { problem } from "./problem.ts";

/** `application/json`, with at most a UTF-8 charset. */
const JSON_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;
/** Keys that name an object's own machinery: JSON.parse keeps them, but a map would drop or misread them. */
const RESERVED_KEYS = new Set(["__proto__", "constructor", "prototype"]);

export type JsonBody = { ok: true; value: unknown } | { ok: false; response: Response };

/**
 * Reads a request's JSON body: an empty body is `{}`; anything else must be `application/json` (415),
 * valid UTF-8 (400: never stored as U+FFFD), valid JSON (400) and free of reserved keys (422).
 */
export async function readJsonBody(c: Context): Promise<JsonBody> {
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  const type = c.req.header("Content-Type");
  if (bytes.length === 0 && type === undefined) return { ok: true, value: {} };
  if (!JSON_TYPE.test((type ?? "").trim())) {
    return refuse(
      problem(
        c,
        "unsupported",
        `The body must be sent as application/json (UTF-8); it came as ${type ? `"${type.slice(0, 100)}"` : "no Content-Type"}.`,
      ),
    );
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return refuse(
      problem(c, "malformed", "The body is not valid UTF-8; nothing was changed.", [
        { path: "(body)", message: "not valid UTF-8" },
      ]),
    );
  }
  if (text.trim() === "") return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return refuse(problem(c, "malformed", `The body must be JSON: ${(error as Error).message}.`));
  }
  const reserved = reservedKeys(value);
  if (reserved.length > 0) {
    return refuse(
      problem(
        c,
        "invalid",
        `The request is not valid: ${reserved.map((e) => `${e.path}: ${e.message}`).join("; ")}`,
        reserved,
      ),
    );
  }
  return { ok: true, value };
}

function refuse(response: Response): JsonBody {
  return { ok: false, response };
}

/** Every reserved key in the value, by path; walked without recursion, since a body may nest deeply. */
function reservedKeys(value: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const pending: [unknown, string[]][] = [[value, []]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, path] = next;
    if (typeof node !== "object" || node === null) continue;
    if (Array.isArray(node)) {
      node.forEach((item, index) => {
        pending.push([item, [...path, String(index)]]);
      });
      continue;
    }
    for (const [key, child] of Object.entries(node)) {
      if (RESERVED_KEYS.has(key)) {
        errors.push({ path: [...path, key].join("."), message: `"${key}" is a reserved name, not allowed as a key` });
      } else pending.push([child, [...path, key]]);
    }
  }
  return errors;
}
