// PostgreSQL text cannot hold U+0000. Rather than let such a string reach a query and surface as a
// masked internal error, any operation carrying one, in a variable or a string literal, is
// refused up front with BAD_USER_INPUT, over HTTP and graphql-ws alike.
import { GraphQLError, Kind, visit, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.ts';

const NUL = '\u0000';

/** Whether a document's string literals hold NUL; per document (Yoga's parse cache reuses the node). */
const literalsCarryNul = new WeakMap<DocumentNode, boolean>();

function documentCarriesNul(document: DocumentNode): boolean {
  let found = literalsCarryNul.get(document);
  if (found !== undefined) return found;
  found = false;
  visit(document, {
    [Kind.STRING]: (node) => {
      if (node.value.includes(NUL)) found = true;
    },
  });
  literalsCarryNul.set(document, found);
  return found;
}

function carriesNul(document: DocumentNode, variables: unknown): boolean {
  return JSON.stringify(variables ?? null).includes('\\u0000') || documentCarriesNul(document);
}

const refusal = () => ({
  errors: [
    new GraphQLError('Text must not contain NUL (U+0000) characters', { extensions: { code: ErrorCode.BadUserInput } }),
  ],
});

/** Refuses NUL characters in variables with BAD_USER_INPUT (PostgreSQL cannot store them). */
export function useRejectNulCharacters(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (carriesNul(args.document, args.variableValues)) setResultAndStopExecution(refusal());
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      if (carriesNul(args.document, args.variableValues)) setResultAndStopExecution(refusal());
    },
  };
}
