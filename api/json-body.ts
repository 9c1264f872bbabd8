import type { Context } from "hono";
import type { FieldError } from "../core/actions/errors.ts";
import { isReservedKey } from "../core/actions/own-keys.ts";
import { problem } from "./problem.ts";

/** `application/json`, with at most a UTF-8 charset. */
const JSON_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

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

/** A key's place in the body, linked to its parent's, so a deeply nested body costs no copying. */
type Place = { key: string; parent: Place | null };

function pathOf(place: Place): string {
  const keys: string[] = [];
  for (let at: Place | null = place; at; at = at.parent) keys.unshift(at.key);
  return keys.join(".");
}

/** Every reserved key in the value, by path; walked without recursion, since a body may nest deeply. */
function reservedKeys(value: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const pending: [unknown, Place | null][] = [[value, null]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, parent] = next;
    if (typeof node !== "object" || node === null) continue;
    if (Array.isArray(node)) {
      node.forEach((item, index) => {
        pending.push([item, { key: String(index), parent }]);
      });
      continue;
    }
    for (const [key, child] of Object.entries(node)) {
      const place = { key, parent };
      if (isReservedKey(key)) {
        errors.push({ path: pathOf(place), message: `"${key}" is a reserved name, not allowed as a key` });
      } else pending.push([child, place]);
    }
  }
  return errors;
}
