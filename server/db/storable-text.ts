// What PostgreSQL can store as text: no NUL (U+0000, refused by text and jsonb), and no lone UTF-16
// surrogate (UTF-8 cannot encode one; jsonb refuses its escape). One definition for the two who ask:
// the plugin that refuses such input, and the audit bound that stores an attempt's bytes anyway.
const NUL = String.fromCharCode(0);
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';

const UNSTORABLE = new RegExp(`${NUL}|${LONE_SURROGATE}`);
const NUL_EVERYWHERE = new RegExp(NUL, 'g');
const LONE_SURROGATES_EVERYWHERE = new RegExp(LONE_SURROGATE, 'g');

/** `String.prototype.isWellFormed` (ES2024, Node 20+): no lone surrogate. */
type WellFormed = string & { isWellFormed(): boolean };

/** Whether a string holds a NUL or a lone surrogate. */
export function isUnstorableText(text: string): boolean {
  return UNSTORABLE.test(text);
}

/** The string made storable: a NUL written as the text `\u0000`, a lone surrogate as U+FFFD. */
export function storableText(text: string): string {
  // Almost every string is storable already: two native scans, no copy.
  if (!text.includes(NUL) && (text as WellFormed).isWellFormed()) return text;
  return text.replace(NUL_EVERYWHERE, '\\u0000').replace(LONE_SURROGATES_EVERYWHERE, '\uFFFD');
}
