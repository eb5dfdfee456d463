// The whole-schema read walk shared by the default-deny read test (portal-read.test.ts) and the
// section walk (portal-sections.test.ts): every chain of object fields from a root type, and the
// operation that reads one chain with the leaves of every level. A type or field added later is
// walked without touching a test.
import {
  getNamedType,
  isLeafType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLObjectType,
} from 'graphql';
import { schema } from '../server/schema/index.ts';

/** Paths longer than this add no new type (each type appears once per path). */
const MAX_DEPTH = 6;

export const isPortalType = (type: GraphQLObjectType) =>
  (type.extensions as { pothosOptions?: { authScopes?: Record<string, unknown> } }).pothosOptions?.authScopes
    ?.readsPortal === true;

export const objectTypes = Object.values(schema.getTypeMap()).filter(
  (type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__'),
);
export const portalTypes = new Set(objectTypes.filter(isPortalType).map((type) => type.name));

/** Which leaf fields of a type an operation selects (default: all). */
export type LeafFilter = (type: GraphQLObjectType, field: GraphQLField<unknown, unknown>) => boolean;

/** Leaf fields without required arguments, and the id, so records can be recognized. */
function leaves(type: GraphQLObjectType, keep: LeafFilter): string {
  const names = Object.values(type.getFields())
    .filter((field) => isLeafType(getNamedType(field.type)) && !field.args.some((arg) => isNonNullType(arg.type)))
    .filter((field) => keep(type, field))
    .map((field) => field.name);
  return ['__typename', ...names].join(' ');
}

export type Path = { root: GraphQLField<unknown, unknown>; chain: GraphQLField<unknown, unknown>[] };

/** Every chain of object fields from a root field, each type at most once per chain. */
export function paths(rootType: GraphQLObjectType): Path[] {
  const found: Path[] = [];
  const walk = (path: Path, type: GraphQLObjectType, seen: Set<string>) => {
    found.push(path);
    if (path.chain.length >= MAX_DEPTH) return;
    for (const field of Object.values(type.getFields())) {
      const next = getNamedType(field.type);
      if (!isObjectType(next) || seen.has(next.name) || field.args.some((arg) => isNonNullType(arg.type))) continue;
      walk({ root: path.root, chain: [...path.chain, field] }, next, new Set([...seen, next.name]));
    }
  };
  for (const root of Object.values(rootType.getFields())) {
    const type = getNamedType(root.type);
    if (isObjectType(type)) walk({ root, chain: [] }, type, new Set([type.name]));
  }
  return found;
}

/** The operation reading one path, selecting the leaves `keep` keeps (default all) at every level. */
export function operation(kind: 'query' | 'subscription', path: Path, keep: LeafFilter = () => true): string {
  const fields = [path.root, ...path.chain];
  let body = '';
  for (let index = fields.length - 1; index >= 0; index -= 1) {
    const field = fields[index]!;
    const type = getNamedType(field.type) as GraphQLObjectType;
    const args = field.args.some((arg) => arg.name === 'id' && isNonNullType(arg.type)) ? '(id: $id)' : '';
    body = `${field.name}${args} { ${leaves(type, keep)} ${body} }`;
  }
  const needsId = path.root.args.some((arg) => arg.name === 'id' && isNonNullType(arg.type));
  return `${kind} Walk${needsId ? '($id: ID!)' : ''} { ${body} }`;
}
