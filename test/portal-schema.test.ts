// The schema as a whole: the committed schema.graphql matches the code, and every mutation needs
// the `mutatesCustomer` scope unless it is a reviewed exemption, checked on the schema's Pothos
// options (test/impersonation-read-only.test.ts sends each one under impersonation).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { READ_ONLY_EXEMPTIONS } from '../server/schema/read-only.ts';
import { schema } from '../server/schema/index.ts';
import { printedSchema } from '../server/scripts/print-schema.ts';

interface PothosFieldExtensions {
  pothosOptions?: { skipTypeScopes?: boolean };
}

const mutationType = schema.getMutationType()!;
const mutationFields = Object.values(mutationType.getFields());
const exemptions = Object.keys(READ_ONLY_EXEMPTIONS);
const isExempt = (name: string) => Object.hasOwn(READ_ONLY_EXEMPTIONS, name);

describe('schema.graphql', () => {
  test('the committed schema.graphql is exactly what the code prints (no drift)', () => {
    const committed = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(printedSchema());
  });
});

describe('read-only impersonation scope on mutations', () => {
  test('the Mutation type itself requires mutatesCustomer, so fields added later need it too', () => {
    const options = (mutationType.extensions as { pothosOptions?: { authScopes?: unknown } }).pothosOptions;
    expect(options?.authScopes).toEqual({ mutatesCustomer: true });
  });

  test('no mutation skips the type scope unless it is listed in READ_ONLY_EXEMPTIONS', () => {
    expect(mutationFields.length).toBeGreaterThan(10);
    const skipping = mutationFields
      .filter((field) => (field.extensions as PothosFieldExtensions).pothosOptions?.skipTypeScopes)
      .map((field) => field.name);
    const unreviewed = skipping.filter((name) => !isExempt(name));
    expect(unreviewed, `mutations skipping mutatesCustomer without an exemption: ${unreviewed.join(', ')}`).toEqual([]);
  });

  test('every field of the Mutation type carries its Pothos options, so the check above sees them all', () => {
    const withoutOptions = mutationFields
      .filter((field) => !(field.extensions as PothosFieldExtensions).pothosOptions)
      .map((f) => f.name);
    expect(withoutOptions).toEqual([]);
  });

  test('every exemption names an existing mutation (no stale entries)', () => {
    const names = new Set(mutationFields.map((field) => field.name));
    expect(exemptions.filter((name) => !names.has(name))).toEqual([]);
  });
});
