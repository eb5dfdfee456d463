// What PostgreSQL can store as text: no NUL (U+0000, refused by text and jsonb), and no lone UTF-16
// surrogate (UTF-8 cannot encode one; jsonb refuses its escape). One definition for the two who ask:
// the plugin that refuses such input, and the audit bound that stores an attempt's bytes anyway.
const NUL = String.fromCharCode(0);
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';

const NUL_EVERYWHERE = new RegExp(NUL, 'g');
const LONE_SURROGATES_EVERYWHERE = new RegExp(LONE_SURROGATE, 'g');

/** `String.prototype.isWellFormed` (ES2024, Node 20+): no lone surrogate. */
type WellFormed = string & { isWellFormed(): boolean };

/** Whether a string holds a NUL or a lone surrogate: two native scans. */
export function isUnstorableText(text: string): boolean {
  return text.includes(NUL) || !(text as WellFormed).isWellFormed();
}

/** Whether any string of a JSON value (object keys included) is unstorable. */
export function hasUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return isUnstorableText(value);
  if (Array.isArray(value)) return value.some(hasUnstorableText);
  if (value && typeof value === 'object')
    return Object.entries(value).some(([key, item]) => isUnstorableText(key) || hasUnstorableText(item));
  return false;
}

/** The string made storable: a NUL written as the text `\u0000`, a lone surrogate as U+FFFD. */
export function storableText(text: string): string {
  // Almost every string is storable already: returned as it is, no copy.
  if (!isUnstorableText(text)) return text;
  return text.replace(NUL_EVERYWHERE, '\\u0000').replace(LONE_SURROGATES_EVERYWHERE, '\uFFFD');
}
