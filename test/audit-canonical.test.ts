// The audit hash's canonical form must not change by a byte: records written before any rewrite of
// canonical() are verified with it. Checked against the plain definition (keys sorted by UTF-16
// code units, arrays in order, dates as ISO strings, undefined as null) on values chosen to tell
// sort orders and escapes apart.
import { describe, expect, it } from 'vitest';
import { canonical } from '../server/audit/chain.ts';

function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${reference(item)}`).join(',')}}`;
}

const VALUES: [string, unknown][] = [
  ['scalars', [null, undefined, true, false, 0, -1.5, 1e21, '', 'text']],
  ['keys in code-unit order, not locale order', { b: 1, a: 2, Z: 3, é: 4, e: 5, '10': 6, '9': 7, _: 8 }],
  ['astral and BMP keys', { '\uFFFF': 1, '\u{1F600}': 2, '\uD800': 3 }],
  ['escapes', { 'quo"te': 'back\\slash', nl: 'line\nbreak', ctl: '\u0001', nul: '\\u0000' }],
  ['a date', { at: new Date('2026-12-07T11:08:42.085Z') }],
  ['undefined members', { a: undefined, list: [undefined, null] }],
  ['empty containers', { o: {}, l: [], nested: [{}, [[]]] }],
  [
    'a record’s seen',
    {
      fields: ['me', 'me.name', 'me.invoices', 'me.invoices.total'],
      records: { Invoice: { count: 2, ids: ['b', 'a'] }, Customer: { count: 1, ids: ['c'] } },
    },
  ],
  ['a null-prototype object', Object.assign(Object.create(null), { z: 1, y: { x: [1, 'two'] } })],
];

describe('canonical()', () => {
  it.each(VALUES)('%s: byte for byte the plain definition', (_name, value) => {
    expect(canonical(value)).toBe(reference(value));
  });
});
