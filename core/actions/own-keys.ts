/**
 * A record's own value for a key a user chose, never one inherited from Object.prototype: `toString`,
 * `constructor` or `__proto__` as a key must read as absent, not as a function.
 */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Keys that name an object's own machinery: JSON.parse keeps them, but a map drops or misreads them. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

export function isReservedKey(key: string): boolean {
  return RESERVED_KEYS.has(key);
}
