// No audit record over AUDIT_RECORD_MAX_BYTES, whatever an attempt carried (SPEC 13): the log is
// append-only and chained, so an oversized record could never be pruned. Every string is made
// storable (a NUL, which PostgreSQL's jsonb and text refuse, is written as the text `\u0000`; a lone
// surrogate becomes U+FFFD), the free-text columns are cut, and if the record is still too large its
// variables, then what it saw, are replaced by their length and SHA-256. The same record is hashed
// and stored (chain.ts applies this before both), so verification is unaffected.
import { createHash } from 'node:crypto';
import { hasUnstorableText, storableText } from '../db/storable-text.ts';

/** The columns of a record the bound reads and rewrites (chain.ts's AuditEntry has them all). */
export interface BoundableEntry {
  operationName?: string | null;
  operationType?: string | null;
  errorCode?: string | null;
  reason?: string | null;
  userAgent?: string | null;
  ip?: string | null;
  requestId?: string | null;
  rootFields?: string[];
  variables?: unknown;
  seen?: unknown;
}

/** The largest record, as the JSON stored (64 KB). */
export const AUDIT_RECORD_MAX_BYTES = 64 * 1024;

/** The longest free-text column kept whole (reason, operation name, error code, user agent). */
const MAX_TEXT = 2000;
const MAX_ROOT_FIELDS = 100;

/** A JSON value with every string (keys included) made storable: the value itself when it already is. */
export function storableJson(value: unknown): unknown {
  return hasUnstorableText(value) ? rebuiltStorable(value) : value;
}

function rebuiltStorable(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(rebuiltStorable);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [storableText(key), rebuiltStorable(item)]),
    );
  }
  return value;
}

/** What stands in a record for a value too large to keep: its size and digest. */
export function withheldDigest(text: string): { withheld: string; length: number; sha256: string } {
  return {
    withheld: 'too large for an audit record',
    length: text.length,
    sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
  };
}

const cut = (text: string | null | undefined, max = MAX_TEXT) =>
  text === null || text === undefined ? text : storableText(text.length > max ? `${text.slice(0, max)}…` : text);

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');

/** The entry as it is stored: storable strings, cut texts, and at most AUDIT_RECORD_MAX_BYTES. */
export function boundedEntry<Entry extends BoundableEntry>(entry: Entry): Entry {
  const bounded: Entry = {
    ...entry,
    operationName: cut(entry.operationName, 200),
    operationType: cut(entry.operationType, 50),
    errorCode: cut(entry.errorCode, 100),
    reason: cut(entry.reason),
    userAgent: cut(entry.userAgent, 500),
    ip: cut(entry.ip, 100),
    requestId: cut(entry.requestId, 100),
    rootFields: entry.rootFields?.slice(0, MAX_ROOT_FIELDS).map((field) => cut(field, 200)!),
    variables: storableJson(entry.variables) as Entry['variables'],
    seen: storableJson(entry.seen) as Entry['seen'],
  };
  for (const column of ['variables', 'seen'] as const) {
    if (jsonBytes(bounded) <= AUDIT_RECORD_MAX_BYTES) break;
    bounded[column] = withheldDigest(JSON.stringify(bounded[column] ?? null)) as Entry[typeof column];
  }
  return bounded;
}
