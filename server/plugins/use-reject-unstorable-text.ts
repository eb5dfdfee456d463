// PostgreSQL text cannot hold U+0000, and a lone UTF-16 surrogate is not text at all (UTF-8 cannot
// encode it; jsonb refuses its escape). Rather than let such a string reach a query and surface as a
// masked internal error, any operation carrying one, in a variable or a string literal, is refused
// up front with BAD_USER_INPUT, over HTTP and graphql-ws alike. (The audit record of the refusal
// stores the value escaped: audit/bounded.ts.)
import { GraphQLError, Kind, visit, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { hasUnstorableText, isUnstorableText } from '../db/storable-text.ts';
import { ErrorCode } from '../errors.ts';

/** Whether a document's string literals hold unstorable text; per document (Yoga's parse cache reuses the node). */
const literalsUnstorable = new WeakMap<DocumentNode, boolean>();

function documentUnstorable(document: DocumentNode): boolean {
  let found = literalsUnstorable.get(document);
  if (found !== undefined) return found;
  found = false;
  visit(document, {
    [Kind.STRING]: (node) => {
      if (isUnstorableText(node.value)) found = true;
    },
  });
  literalsUnstorable.set(document, found);
  return found;
}

const refusal = () => ({
  errors: [
    new GraphQLError('Text must not contain NUL (U+0000) characters or unpaired surrogates', {
      extensions: { code: ErrorCode.BadUserInput },
    }),
  ],
});

/** Refuses NUL characters and lone surrogates in variables and literals with BAD_USER_INPUT. */
export function useRejectUnstorableText(): Plugin {
  const check = ({
    args,
    setResultAndStopExecution,
  }: {
    args: { document: DocumentNode; variableValues?: unknown };
    setResultAndStopExecution: (result: ReturnType<typeof refusal>) => void;
  }) => {
    if (hasUnstorableText(args.variableValues) || documentUnstorable(args.document))
      setResultAndStopExecution(refusal());
  };
  return { onExecute: check, onSubscribe: check };
}
