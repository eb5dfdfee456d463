// What counts in a free-text reason (SPEC 13), one rule for the server's validation and the client's
// forms: letters and digits (Unicode categories L and N), but not the default-ignorable ones (the
// Hangul fillers U+3164, U+FFA0, U+115F and their like are letters that render as nothing). Spaces,
// punctuation, symbols (the Braille blank), marks (U+034F, variation selectors) and private-use
// characters are allowed in a reason but do not count towards its minimum.
const COUNTED = /(?!\p{Default_Ignorable_Code_Point})[\p{L}\p{N}]/gu;

/** How many letters and digits a reason holds. */
export function reasonLetterCount(text: string): number {
  return text.match(COUNTED)?.length ?? 0;
}

/** Whether a reason holds at least `min` letters or digits. */
export function hasEnoughLetters(text: string, min: number): boolean {
  return reasonLetterCount(text) >= min;
}
