/** The review as the API writes it: the same object, its keys in the API's snake_case. */

type SnakeKey<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeKey<Tail>}`
  : S;

export type Snake<T> = T extends readonly (infer U)[]
  ? Snake<U>[]
  : T extends object
    ? { [K in keyof T as K extends string ? SnakeKey<K> : K]: Snake<T[K]> }
    : T;

export function snakeKeys<T>(value: T): Snake<T> {
  // The type above spells out what this walk does; the compiler cannot follow a recursive walk itself.
  return walk(value) as Snake<T>;
}

/** The review repeats a few dozen keys hundreds of thousands of times: each is converted once. */
const snakeNames = new Map<string, string>();

function snakeName(key: string): string {
  let name = snakeNames.get(key);
  if (name === undefined) {
    name = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    snakeNames.set(key, name);
  }
  return name;
}

function walk(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(walk);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[snakeName(key)] = walk(item);
  return out;
}
