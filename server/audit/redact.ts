// Variables are recorded with secrets replaced: a variable is secret when its own name, or the
// name of the argument or input field it is passed to, looks like a password, a token or a card
// number; inside values, keys are checked the same way at any depth.
import { Kind, visit, type DocumentNode } from 'graphql';

const SECRET_NAME = /pass(word)?|token|secret|authorization|card.?number|cvc|cvv/i;
/** What a secret value is replaced with. */
export const REDACTED = '[REDACTED]';

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [
        key,
        SECRET_NAME.test(key) ? REDACTED : redactValue(item),
      ]),
    );
  }
  return value;
}

/** Names of the variables passed to a secret-named argument or input field in the document. */
function secretVariables(document: DocumentNode): Set<string> {
  const names = new Set<string>();
  const collect = (node: { name: { value: string }; value: { kind: Kind; name?: { value: string } } }) => {
    if (node.value.kind === Kind.VARIABLE && SECRET_NAME.test(node.name.value)) names.add(node.value.name!.value);
  };
  visit(document, { Argument: collect, ObjectField: collect });
  return names;
}

/** The operation's variables with every secret replaced by REDACTED, as recorded. */
export function redactVariables(
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
): Record<string, unknown> {
  const secret = secretVariables(document);
  return Object.fromEntries(
    Object.entries(variables ?? {}).map(([name, value]) => [
      name,
      secret.has(name) || SECRET_NAME.test(name) ? REDACTED : redactValue(value),
    ]),
  );
}
