/** What the publisher needs of a bucket: list, put with headers, delete, and a small note of its own. */
export type StoredObject = { etag: string };

export type ObjectStore = {
  /** Every object under the target's prefix, by key relative to it (release files and the note alike). */
  list(): Promise<Map<string, StoredObject>>;
  /** Writes one object whole (the store swaps it atomically), checked against `md5` on arrival. */
  put(
    file: string,
    bytes: Uint8Array,
    headers: { contentType: string; cacheControl: string; md5: string },
  ): Promise<void>;
  delete(files: readonly string[]): Promise<void>;
  /** The publisher's note (see publisher.ts), or null when there is none. */
  readNote(): Promise<string | null>;
  writeNote(text: string): Promise<void>;
  close(): void;
};

/** The note's key under the prefix: hidden, so never a release file's. */
export const NOTE_FILE = ".herald-publish.json";
