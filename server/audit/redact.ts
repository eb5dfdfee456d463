// Variables are recorded with secrets replaced, by what the schema declares sensitive (an argument or
// input field with `extensions.sensitive`, see schema/sensitive.ts), not by names a client chooses:
// a variable bound to a sensitive argument or input field is replaced whole, a sensitive field
// inside an input object value is replaced wherever it nests, and a variable the operation does not
// declare (so its use is unknown) is replaced too.
import {
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';

/** What a secret value is replaced with. */
export const REDACTED = '[REDACTED]';

/** Whether a schema element (argument or input field) is declared sensitive. */
export function isSensitive(element: { extensions?: Readonly<Record<string, unknown>> | null }): boolean {
  return element.extensions?.sensitive === true;
}

/** A value of `type` with every sensitive input field replaced, at any depth. */
function redactByType(value: unknown, type: GraphQLInputType): unknown {
  if (value === null || value === undefined) return value;
  if (isNonNullType(type)) return redactByType(value, type.ofType);
  if (isListType(type)) return Array.isArray(value) ? value.map((item) => redactByType(item, type.ofType)) : value;
  if (isInputObjectType(type) && typeof value === 'object') {
    const fields = type.getFields();
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => {
        const field = fields[key];
        if (!field) return [key, REDACTED];
        return [key, isSensitive(field) ? REDACTED : redactByType(item, field.type)];
      }),
    );
  }
  return value;
}

/** The variables passed straight to a sensitive argument or input field. */
function sensitiveVariables(schema: GraphQLSchema, document: DocumentNode): Set<string> {
  const names = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const argument = typeInfo.getArgument();
        if (argument && isSensitive(argument) && node.value.kind === Kind.VARIABLE) names.add(node.value.name.value);
      },
      ObjectField(node) {
        const parent = typeInfo.getParentInputType();
        const named = parent ? getNamedType(parent) : null;
        const field = named && isInputObjectType(named) ? named.getFields()[node.name.value] : undefined;
        if (field && isSensitive(field) && node.value.kind === Kind.VARIABLE) names.add(node.value.name.value);
      },
    }),
  );
  return names;
}

/** What redaction needs to know of a document: its secret variables and every declared variable's type. */
interface DocumentVariables {
  secret: Set<string>;
  declared: Map<string, GraphQLInputType | undefined>;
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
  const declared = new Map<string, GraphQLInputType | undefined>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      declared.set(variable.variable.name.value, typeFromAST(schema, variable.type as never) as GraphQLInputType);
    }
  }
  const found = { secret: sensitiveVariables(schema, document), declared };
  bySchema.set(document, found);
  return found;
}

/** The operation's variables as recorded: every sensitive value replaced by REDACTED. */
export function redactVariables(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
): Record<string, unknown> {
  const { secret, declared } = documentVariables(schema, document);
  return Object.fromEntries(
    Object.entries(variables ?? {}).map(([name, value]) => {
      const type = declared.get(name);
      if (secret.has(name) || !type) return [name, REDACTED];
      return [name, redactByType(value, type)];
    }),
  );
}
