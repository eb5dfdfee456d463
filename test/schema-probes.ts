// Operations built from the schema itself, for the whole-schema sweeps (read-only under
// impersonation, step-up, the insider sweep): a root field's document with a variable per
// argument, and valid-shaped sample values. A field added later is probed without touching a test.
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { schema } from '../server/schema/index.ts';

/** Every Mutation field of the schema. */
export const mutationFields = Object.values(schema.getMutationType()!.getFields());

/** A sample value of each scalar that passes GraphQL validation. */
export const SAMPLE_SCALARS: Record<string, unknown> = {
  ID: 'cm0000000000000000000000',
  String: 'A valid-shaped value 4111111111111111',
  Int: 1,
  Float: 1.5,
  Boolean: true,
  DateTime: '2030-06-01T10:00:00.000Z',
  Date: '2020-06-01',
  JSON: {},
};

/** A value of the type that passes GraphQL validation: the first enum value, one list item, `scalars`. */
export function sampleValue(type: GraphQLInputType, scalars: Record<string, unknown> = SAMPLE_SCALARS): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType, scalars);
  if (isListType(type)) return [sampleValue(type.ofType, scalars)];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields()).map((field) => [field.name, sampleValue(field.type, scalars)]),
    );
  }
  if (isScalarType(type)) {
    if (!(type.name in scalars)) throw new Error(`No sample for scalar ${type.name}: add one`);
    return scalars[type.name];
  }
  throw new Error(`Unexpected input type ${String(type)}`);
}

/**
 * The document calling `field` of the root `kind` with one variable per argument (those of
 * `args`, default all) and a selection valid for its return type.
 */
export function probeDocument(
  field: GraphQLField<unknown, unknown>,
  kind: 'query' | 'mutation' = 'mutation',
  args: readonly GraphQLArgument[] = field.args,
): string {
  const definitions = args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const passes = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const selection = 'getFields' in getNamedType(field.type) ? ' { __typename }' : '';
  return `${kind} Probe_${field.name}${definitions ? `(${definitions})` : ''} { ${field.name}${passes ? `(${passes})` : ''}${selection} }`;
}
