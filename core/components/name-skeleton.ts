import unhomoglyph from "unhomoglyph";

const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * How a name reads, for telling names apart: NFKC (fullwidth, circled and mathematical letters become
 * plain ones), default-ignorable characters (zero-width space, joiners, soft hyphen) removed, then the
 * UTS #39 skeleton (each character replaced by the prototype it is confusable with: Cyrillic "А" → "A",
 * "1" → "l"). Two keys: the skeleton as written ("API" and "APl" read alike) and of the lowercased name
 * ("API" and "api" are one name). Names collide when either key is equal.
 */
export function nameSkeletons(name: string): readonly [asWritten: string, lowercased: string] {
  const visible = name.normalize("NFKC").replace(IGNORABLE, "").trim();
  return [skeleton(visible), skeleton(visible.toLowerCase()).toLowerCase()];
}

export function looksAlike(a: readonly [string, string], b: readonly [string, string]): boolean {
  return a[0] === b[0] || a[1] === b[1];
}

/** UTS #39: NFD, each character to its confusable prototype, NFD again. */
function skeleton(text: string): string {
  return unhomoglyph(text.normalize("NFD")).normalize("NFD");
}
