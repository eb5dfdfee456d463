// Bounds the work one operation may ask for, so that no single request can exhaust the server:
// GraphQL Armor's max tokens (at parse), max depth, cost, aliases and directives (at validation),
// a bound on how deeply variables nest, and no "Did you mean" suggestions in production.
// Every refusal is a GraphQLError with a stable extensions.code and extensions.reason, never a 500.
//
// The request body size is not bounded here: graphql-yoga 5 has its own `maxRequestBodySize`
// (413, REQUEST_ENTITY_TOO_LARGE, checked on Content-Length and while the body streams in), set
// from MAX_REQUEST_BODY_BYTES in yoga.ts. Yoga's batching limit stays in yoga.ts as well.
//
// Suggestions are hidden by this plugin rather than by Armor's blockFieldSuggestion: Armor's
// pattern misses `Did you mean the enum value "X"?` and `Did you mean to use an inline fragment`,
// and it only sees validation, while invalid variables are reported during execution.
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type ExecutionResult, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.ts';

/** extensions.reason of a refusal: which limit the operation went over. */
export enum OperationLimit {
  /** More lexical tokens than `maxTokens` (refused while parsing). */
  MaxTokens = 'MAX_TOKENS',
  /** Selections nested deeper than `maxDepth`. */
  MaxDepth = 'MAX_DEPTH',
  /** Armor's estimated cost above `maxCost`. */
  MaxCost = 'MAX_COST',
  /** More aliased fields than `maxAliases`. */
  MaxAliases = 'MAX_ALIASES',
  /** More directives than `maxDirectives`. */
  MaxDirectives = 'MAX_DIRECTIVES',
  /** A variable's value nested deeper than `maxVariableDepth` (code BAD_USER_INPUT). */
  MaxVariableDepth = 'MAX_VARIABLE_DEPTH',
}

/** Options of {@link useOperationLimits}. */
export interface OperationLimitsOptions {
  /**
   * Deepest selection allowed, fragment spreads counting one level (Armor's count). The client's
   * deepest document (AppointmentsPage: me, appointments, its fragment, service) is 6.
   * @default 8
   */
  maxDepth?: number;
  /**
   * Highest Armor cost (objects 2, scalars 1, times 1.5 per level; fields under `@include` count
   * whether included or not). The client's costliest documents, AppointmentsPage with urql's
   * `__typename`s, its section variables and masked-field lists, and the admin's WebhookDeliveries
   * page, cost 1,508 and 1,503.
   * @default 2500
   */
  maxCost?: number;
  /**
   * Most aliased fields per operation (`__typename` aliases are free). The client uses 2.
   * @default 10
   */
  maxAliases?: number;
  /**
   * Most directives per operation. The client uses none.
   * @default 10
   */
  maxDirectives?: number;
  /**
   * Most lexical tokens per document, counted while parsing, so an oversized document is refused
   * before it is built. The client's longest document (AppointmentsPage with `__typename`s) has 101.
   * @default 500
   */
  maxTokens?: number;
  /**
   * How deeply objects and lists may nest inside one variable's value. The client's deepest
   * variable (`preferences: [{ category, channel, enabled }]`) nests 2.
   * @default 10
   */
  maxVariableDepth?: number;
  /**
   * Replace "Did you mean ..." suggestions in error messages by `[Suggestion hidden]`, so that
   * the schema cannot be mapped by guessing when introspection is not at hand.
   * @default process.env.NODE_ENV === 'production'
   */
  blockSuggestions?: boolean;
}

/** The limits in force unless overridden, tuned against every document the client sends. */
export const operationLimitDefaults = {
  maxDepth: 8,
  maxCost: 2500,
  maxAliases: 10,
  maxDirectives: 10,
  maxTokens: 500,
  maxVariableDepth: 10,
} as const satisfies Required<Omit<OperationLimitsOptions, 'blockSuggestions'>>;

const SUGGESTION = /Did you mean [^?]*\?/g;
const SUGGESTION_MASK = '[Suggestion hidden]';

function tooComplex(reason: OperationLimit, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.QueryTooComplex, reason, http: { status: 400 } } });
}

/**
 * Armor's refusals read "Syntax Error: ..." and carry no code: each is replaced by a coded one.
 * Validation limits report it like any validation error; the token limit has no validation
 * context (it runs inside the parser), so it throws, which stops parsing at once.
 */
function refuseAs(reason: OperationLimit) {
  return [
    (context: ValidationContext | null, error: GraphQLError) => {
      const refusal = tooComplex(reason, error.message.replace(/^Syntax Error: /, ''));
      if (!context) throw refusal;
      context.reportError(refusal);
    },
  ];
}

/** Iterative, so that a value nested 100,000 deep cannot overflow the stack while measuring it. */
function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth >= maxDepth) return true;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}

function hideSuggestions(errors: readonly Error[] | undefined): void {
  for (const error of errors ?? []) error.message = error.message.replace(SUGGESTION, SUGGESTION_MASK);
}

/** Refuses oversized operations (depth, cost, aliases, directives, tokens, variable nesting) with stable codes. */
export function useOperationLimits(options: OperationLimitsOptions = {}): Plugin {
  const limits = { ...operationLimitDefaults, ...options };
  const blockSuggestions = options.blockSuggestions ?? process.env.NODE_ENV === 'production';
  const armor = new EnvelopArmor({
    blockFieldSuggestion: { enabled: false },
    maxTokens: { n: limits.maxTokens, onReject: refuseAs(OperationLimit.MaxTokens), propagateOnRejection: false },
    // Depth is the data's: a fragment spread or inline fragment adds no level (the client's pages
    // spread the chrome's fragments, which spread others), while the fields inside it count in full.
    maxDepth: {
      n: limits.maxDepth,
      flattenFragments: true,
      onReject: refuseAs(OperationLimit.MaxDepth),
      propagateOnRejection: false,
    },
    costLimit: { maxCost: limits.maxCost, onReject: refuseAs(OperationLimit.MaxCost), propagateOnRejection: false },
    maxAliases: { n: limits.maxAliases, onReject: refuseAs(OperationLimit.MaxAliases), propagateOnRejection: false },
    maxDirectives: {
      n: limits.maxDirectives,
      onReject: refuseAs(OperationLimit.MaxDirectives),
      propagateOnRejection: false,
    },
  });

  const variablesRefusal = (variables: unknown): ExecutionResult | null =>
    nestsDeeperThan(variables, limits.maxVariableDepth + 1)
      ? {
          errors: [
            new GraphQLError(`Variables must not nest deeper than ${limits.maxVariableDepth} levels`, {
              extensions: {
                code: ErrorCode.BadUserInput,
                reason: OperationLimit.MaxVariableDepth,
                http: { status: 400 },
              },
            }),
          ],
        }
      : null;

  return {
    onPluginInit({ addPlugin }) {
      for (const plugin of armor.protect().plugins) addPlugin(plugin as Plugin);
    },
    // HTTP: refused before the context is built, so nothing downstream walks such a value.
    onParams({ params, setResult }) {
      const refusal = variablesRefusal(params.variables);
      if (refusal) setResult(refusal);
    },
    onValidate() {
      if (!blockSuggestions) return;
      return ({ result }) => hideSuggestions(result);
    },
    // graphql-ws builds its envelope without onParams: its variables are checked here.
    onExecute({ args, setResultAndStopExecution }) {
      const refusal = variablesRefusal(args.variableValues);
      if (refusal) return setResultAndStopExecution(refusal);
      if (!blockSuggestions) return;
      return {
        onExecuteDone: ({ result }) => {
          if (!(Symbol.asyncIterator in result)) hideSuggestions(result.errors);
        },
      };
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refusal = variablesRefusal(args.variableValues);
      if (refusal) return setResultAndStopExecution(refusal);
      if (!blockSuggestions) return;
      return {
        onSubscribeResult: ({ result }) => {
          if (!(Symbol.asyncIterator in result)) return hideSuggestions(result.errors);
          return { onNext: ({ result: next }) => hideSuggestions(next.errors) };
        },
      };
    },
  };
}
