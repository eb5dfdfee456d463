// What of an operation's variables a record keeps (SPEC 4, 13): default-deny, by what the schema
// declares, never by names a client chooses. A value is kept only where every use of its variable is
// bound to an argument or input field reviewed as not secret (`NOT_SENSITIVE` in schema/sensitive.ts,
// carried by the schema's extensions) or of a type that holds no free text (numbers, booleans, dates,
// enums); inside an input object, field by field. A value bound to a field declared sensitive is
// replaced by `[REDACTED]` alone. Everything else (a variable unused, undeclared, bound to a
// misspelled field or argument, or to one nobody reviewed) is withheld: `[REDACTED]` with its length
// and a keyed digest (HMAC-SHA-256 under the deployment's redaction key, so a withheld card number or
// password cannot be found by hashing guesses). Kept strings longer than MAX_RECORDED_STRING are cut,
// with their length and SHA-256.
import { createHash, createHmac, type KeyObject } from 'node:crypto';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';

/** What a secret value is replaced with. */
export const REDACTED = '[REDACTED]';

/** The longest string value a record keeps whole. */
export const MAX_RECORDED_STRING = 256;

/** The schema extension that carries the reviewed coordinates (schema/index.ts sets it). */
export const NOT_SENSITIVE_EXTENSION = 'notSensitive';

/** Scalars whose values carry no free text. */
const PLAIN_SCALARS = new Set(['Int', 'Float', 'Boolean', 'Date', 'DateTime']);

/** Whether a schema element (argument or input field) is declared sensitive. */
export function isSensitive(element: { extensions?: Readonly<Record<string, unknown>> | null }): boolean {
  return element.extensions?.sensitive === true;
}

/** The keyed digest of withheld values: HMAC-SHA-256 under a key derived from the audit signing key. */
export type RedactionKey = Buffer;

/** The redaction key of a deployment, derived from its audit signing key (kept outside the database). */
export function redactionKey(signingKey: KeyObject): RedactionKey {
  const secret = signingKey.export({ format: 'der', type: 'pkcs8' });
  return createHash('sha256').update('salon-audit-redaction-v1').update(secret).digest();
}

const textOf = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));

/** A value no record may hold: its length and keyed digest only. */
function withheld(value: unknown, key: RedactionKey) {
  const text = textOf(value);
  return { redacted: REDACTED, length: text.length, hmacSha256: createHmac('sha256', key).update(text).digest('hex') };
}

/** A kept leaf value: long strings cut, with their length and digest. */
function kept(value: unknown): unknown {
  if (typeof value !== 'string' || value.length <= MAX_RECORDED_STRING) return value;
  return {
    cut: value.slice(0, MAX_RECORDED_STRING),
    length: value.length,
    sha256: createHash('sha256').update(value, 'utf8').digest('hex'),
  };
}

type Binding = { coordinate: string; type: GraphQLInputType; sensitive: boolean } | 'unknown';

/** What redaction knows of a document: each variable's uses, and the schema's reviewed coordinates. */
interface DocumentVariables {
  uses: Map<string, Binding[]>;
  reviewed: ReadonlySet<string>;
}

function reviewedOf(schema: GraphQLSchema): ReadonlySet<string> {
  return new Set(Object.keys((schema.extensions[NOT_SENSITIVE_EXTENSION] as object | undefined) ?? {}));
}

/** Whether a value of `type` at `coordinate` may be kept (not secret by review, or no free text). */
function recordable(coordinate: string, type: GraphQLInputType, reviewed: ReadonlySet<string>): boolean {
  const named = getNamedType(type);
  if (isEnumType(named) || (isScalarType(named) && PLAIN_SCALARS.has(named.name))) return true;
  return reviewed.has(coordinate);
}

/** The variables a value node holds directly or in a list. */
const variablesIn = (node: ValueNode): string[] =>
  node.kind === Kind.VARIABLE
    ? [node.name.value]
    : node.kind === Kind.LIST
      ? node.values.flatMap((item) => (item.kind === Kind.VARIABLE ? [item.name.value] : []))
      : [];

function variableUses(schema: GraphQLSchema, document: DocumentNode): Map<string, Binding[]> {
  const uses = new Map<string, Binding[]>();
  const bind = (names: string[], binding: Binding) => {
    for (const name of names) uses.set(name, [...(uses.get(name) ?? []), binding]);
  };
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const argument = typeInfo.getArgument();
        const field = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        bind(
          variablesIn(node.value),
          argument && field && parent
            ? {
                coordinate: `${parent.name}.${field.name}(${argument.name}:)`,
                type: argument.type,
                sensitive: isSensitive(argument),
              }
            : 'unknown',
        );
      },
      ObjectField(node) {
        const parent = typeInfo.getParentInputType();
        const named = parent ? getNamedType(parent) : null;
        const field = named && isInputObjectType(named) ? named.getFields()[node.name.value] : undefined;
        bind(
          variablesIn(node.value),
          field && named
            ? { coordinate: `${named.name}.${field.name}`, type: field.type, sensitive: isSensitive(field) }
            : 'unknown',
        );
      },
    }),
  );
  return uses;
}

/**
 * Per schema, per document: Yoga's parse cache hands the same DocumentNode to every request with
 * the same text (persisted operations: one per client document), so the walk runs once per document.
 */
const variablesOfDocument = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, DocumentVariables>>();

function documentVariables(schema: GraphQLSchema, document: DocumentNode): DocumentVariables {
  let bySchema = variablesOfDocument.get(schema);
  if (!bySchema) variablesOfDocument.set(schema, (bySchema = new WeakMap()));
  const known = bySchema.get(document);
  if (known) return known;
  const found = { uses: variableUses(schema, document), reviewed: reviewedOf(schema) };
  bySchema.set(document, found);
  return found;
}

/** A value bound to `type`, field by field: kept where reviewed, redacted or withheld elsewhere. */
function recordByType(
  value: unknown,
  type: GraphQLInputType,
  context: { reviewed: ReadonlySet<string>; key: RedactionKey },
): unknown {
  if (value === null || value === undefined) return value;
  if (isNonNullType(type)) return recordByType(value, type.ofType, context);
  if (isListType(type))
    return Array.isArray(value) ? value.map((item) => recordByType(item, type.ofType, context)) : kept(value);
  if (isInputObjectType(type)) {
    if (typeof value !== 'object' || Array.isArray(value)) return withheld(value, context.key);
    const fields = type.getFields();
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([name, item]) => {
        const field = fields[name];
        if (!field) return [name, withheld(item, context.key)];
        if (isSensitive(field)) return [name, REDACTED];
        if (isInputObjectType(getNamedType(field.type))) return [name, recordByType(item, field.type, context)];
        const coordinate = `${type.name}.${field.name}`;
        return [
          name,
          recordable(coordinate, field.type, context.reviewed)
            ? recordByType(item, field.type, context)
            : withheld(item, context.key),
        ];
      }),
    );
  }
  return typeof value === 'object' ? withheld(value, context.key) : kept(value);
}

/** The operation's variables as recorded (see the top of this file). */
export function redactVariables(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
  key: RedactionKey,
): Record<string, unknown> {
  const { uses, reviewed } = documentVariables(schema, document);
  const context = { reviewed, key };
  return Object.fromEntries(
    Object.entries(variables ?? {}).map(([name, value]) => {
      const bindings = uses.get(name) ?? [];
      if (bindings.some((binding) => binding !== 'unknown' && binding.sensitive)) return [name, REDACTED];
      const known = bindings.filter((binding) => binding !== 'unknown');
      const keep =
        bindings.length > 0 &&
        known.length === bindings.length &&
        known.every((binding) =>
          isInputObjectType(getNamedType(binding.type))
            ? reviewed.has(binding.coordinate)
            : recordable(binding.coordinate, binding.type, reviewed),
        );
      return [name, keep ? recordByType(value, known[0]!.type, context) : withheld(value, key)];
    }),
  );
}
