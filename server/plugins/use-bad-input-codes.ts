// Bad input is refused with a stable extensions.code and, in production, without echoing the
// values sent. graphql-js reports a variable it cannot coerce as
// `Variable "$x" got invalid value "<the value>" ...; <the scalar's message, quoting it again>`
// with no code, and the validation of a literal quotes the literal ("DateTime cannot represent an
// invalid date-time-string 2026-13-45."). An empty batch (`[]`) would be answered `[]`, 200, and
// an unsupported content type an empty 415.
//
// Hand-written: graphql-js and Yoga have no option for either (Yoga's masking leaves GraphQL errors
// as they are), and GraphQL Armor has no rule for them.
import { GraphQLError, Kind, print, type ASTNode, type ExecutionResult } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.ts';
import { unsupportedMediaType } from './use-csrf-prevention.ts';

/** Options of {@link useBadInputCodes}. */
export interface BadInputCodesOptions {
  /**
   * Leave the values out of the messages of invalid variables and literals (production), at the
   * cost of messages less helpful to a developer.
   * @default process.env.NODE_ENV === 'production'
   */
  hideValues?: boolean;
}

const INVALID_VARIABLE = /^Variable "\$([A-Za-z_][A-Za-z0-9_]*)" got invalid value /;
const VALUE_KINDS = new Set<string>([
  Kind.STRING,
  Kind.ENUM,
  Kind.INT,
  Kind.FLOAT,
  Kind.BOOLEAN,
  Kind.OBJECT,
  Kind.LIST,
  Kind.NULL,
]);
const HIDDEN = '[value hidden]';

type MutableError = GraphQLError & { message: string; extensions: Record<string, unknown> };

/** BAD_USER_INPUT for graphql-js' variable errors (they have no code); the value left out if asked. */
function codeVariableError(error: GraphQLError, hideValues: boolean): void {
  if (!error.message.startsWith('Variable "$') || error.extensions.code) return;
  const mutable = error as MutableError;
  mutable.extensions.code = ErrorCode.BadUserInput;
  const invalid = hideValues ? INVALID_VARIABLE.exec(error.message) : null;
  if (invalid) mutable.message = `Variable "$${invalid[1]}" got an invalid value`;
}

/** Takes the text of the literal the error points at out of its message. */
function hideLiteral(error: GraphQLError): void {
  const node = error.nodes?.length === 1 ? (error.nodes[0] as ASTNode) : undefined;
  if (!node || !VALUE_KINDS.has(node.kind)) return;
  const texts = [print(node), 'value' in node ? String(node.value) : ''].filter((text) => text.length > 0);
  const mutable = error as MutableError;
  for (const text of texts.sort((a, b) => b.length - a.length))
    mutable.message = mutable.message.split(text).join(HIDDEN);
}

const codeResult = (result: ExecutionResult, hideValues: boolean) => {
  for (const error of result.errors ?? []) codeVariableError(error, hideValues);
};

/** Codes (and in production hides the values of) invalid variables and literals; refuses empty batches. */
export function useBadInputCodes(options: BadInputCodesOptions = {}): Plugin {
  const hideValues = options.hideValues ?? process.env.NODE_ENV === 'production';
  return {
    // Yoga answers a content type it has no parser for with an empty 415: the same, with a code.
    onRequestParse({ requestParser, endResponse }) {
      if (!requestParser) {
        endResponse(unsupportedMediaType());
        return;
      }
      return {
        onRequestParseDone({ requestParserResult }) {
          if (Array.isArray(requestParserResult) && requestParserResult.length === 0)
            throw createGraphQLError('A batch must hold at least one operation', {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
        },
      };
    },
    onValidate() {
      if (!hideValues) return;
      return ({ result }) => {
        for (const error of result) if (error instanceof GraphQLError) hideLiteral(error);
      };
    },
    onExecute() {
      return {
        onExecuteDone: ({ result }) => (Symbol.asyncIterator in result ? undefined : codeResult(result, hideValues)),
      };
    },
    onSubscribe() {
      return {
        onSubscribeResult: ({ result }) =>
          Symbol.asyncIterator in result ? undefined : codeResult(result, hideValues),
      };
    },
  };
}
