// Persisted operations: the client's documents are the allow-list. GraphQL Code Generator writes
// client/src/gql/persisted-documents.json ({sha256 hex: document}); the client sends
// `extensions.persistedQuery.sha256Hash` and no query. Over HTTP, graphql-yoga's
// `usePersistedOperations` maps the hash to its document in onParams. graphql-ws builds its envelope
// without Yoga's onParams (transport/websocket.ts), so the same plugin maps a socket operation's
// params when its envelope is made (onEnveloped) and refuses it at parse (onParse): the transport
// parses `params.query` as Yoga's graphql-ws example does, and the refusal is an ordinary parse
// failure, recorded by the audit's own onParse hook.
//
// Arbitrary operations (a `query` text) are refused unless ALLOW_ARBITRARY_OPERATIONS (default: on
// outside production). Each refusal has a stable extensions.code and HTTP 400.
//
// Hand-written: adding `__typename` as urql does (below). The client's document cache adds
// `__typename` to every selection set but an operation's root before it sends an operation, and
// reads it back to know which queries a mutation invalidates; the manifest holds the documents as
// written, so the server runs each one as urql would have sent it. (codegen's
// `addTypenameSelectionDocumentTransform` also adds it to roots, and would make `__typename` a
// required member of every generated result type.)
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { usePersistedOperations as useYogaPersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError, Kind, parse, print, visit, type DocumentNode, type FieldNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { isSocketOperation } from '../request-info.ts';

/** The manifest GraphQL Code Generator writes (codegen.ts). */
export const PERSISTED_DOCUMENTS_FILE = new URL('../../client/src/gql/persisted-documents.json', import.meta.url);

/** extensions.code of a refused operation. */
export enum PersistedOperationCode {
  /** The hash is not in the manifest. */
  NotFound = 'PERSISTED_QUERY_NOT_FOUND',
  /** A query text was sent where only persisted operations are accepted. */
  Only = 'PERSISTED_QUERY_ONLY',
  /** Neither a query nor `extensions.persistedQuery.sha256Hash` (version 1) was sent. */
  IdRequired = 'PERSISTED_QUERY_ID_REQUIRED',
}

/**
 * The messages are the APQ convention's: urql's persistedExchange retries with the query text on
 * "PersistedQueryNotFound", which lets a development client run documents newer than the manifest.
 */
const refusals: Record<PersistedOperationCode, string> = {
  [PersistedOperationCode.NotFound]: 'PersistedQueryNotFound',
  [PersistedOperationCode.Only]: 'PersistedQueryOnly',
  [PersistedOperationCode.IdRequired]: 'PersistedQueryKeyNotFound',
};

/** The refusal with this code, never echoing what was sent. */
export function persistedOperationError(code: PersistedOperationCode): GraphQLError {
  return new GraphQLError(refusals[code], { extensions: { code, http: { status: 400 } } });
}

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

/** Adds `__typename` to every selection set but an operation's root, where urql's cache adds it. */
export function addTypenameAsUrqlDoes(document: DocumentNode): DocumentNode {
  return visit(document, {
    SelectionSet(node, _key, parent) {
      const isRoot = !Array.isArray(parent) && (parent as { kind?: string }).kind === Kind.OPERATION_DEFINITION;
      const hasTypename = node.selections.some(
        (selection) => selection.kind === Kind.FIELD && selection.name.value === '__typename' && !selection.alias,
      );
      return isRoot || hasTypename ? undefined : { ...node, selections: [...node.selections, TYPENAME] };
    },
  });
}

const HASH = /^[0-9a-f]{64}$/;

/**
 * Reads the manifest: hash -> the query text the server runs. A key that is not the SHA-256 of its
 * document stops the start-up (an edited or mismatched manifest).
 */
export function loadPersistedDocuments(file: URL | string = PERSISTED_DOCUMENTS_FILE): ReadonlyMap<string, string> {
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  const documents = new Map<string, string>();
  for (const [hash, text] of Object.entries(manifest)) {
    if (!HASH.test(hash) || createHash('sha256').update(text).digest('hex') !== hash)
      throw new Error(`${String(file)}: ${hash} is not the SHA-256 of its document; run npm run codegen`);
    documents.set(hash, print(addTypenameAsUrqlDoes(parse(text))));
  }
  return documents;
}

let defaultDocuments: ReadonlyMap<string, string> | undefined;

/** Options of {@link createPersistedOperations}. */
export interface PersistedOperationsOptions {
  /**
   * Accept a `query` text besides persisted hashes (development, or ALLOW_ARBITRARY_OPERATIONS).
   * @default false
   */
  allowArbitraryOperations?: boolean;
  /**
   * hash -> query text.
   * @default the documents of client/src/gql/persisted-documents.json
   */
  documents?: ReadonlyMap<string, string>;
}

type SocketParams = { query?: string | null; extensions?: unknown };

/**
 * The persisted-operation rule, for both transports: known hashes always; query texts only when
 * allowed.
 */
export function usePersistedOperations(options: PersistedOperationsOptions = {}): Plugin {
  const allowArbitraryOperations = options.allowArbitraryOperations ?? false;
  const documents = options.documents ?? (defaultDocuments ??= loadPersistedDocuments());
  const plugin = useYogaPersistedOperations({
    allowArbitraryOperations,
    getPersistedOperation: (hash) => documents.get(hash) ?? null,
    customErrors: {
      notFound: () => persistedOperationError(PersistedOperationCode.NotFound),
      persistedQueryOnly: () => persistedOperationError(PersistedOperationCode.Only),
      keyNotFound: () => persistedOperationError(PersistedOperationCode.IdRequired),
    },
  }) as Plugin;

  const hashOf = (extensions: unknown): string | null => {
    const persisted = (extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } } | null)
      ?.persistedQuery;
    return persisted?.version === 1 && typeof persisted.sha256Hash === 'string' ? persisted.sha256Hash : null;
  };

  const queryOf = ({ query, extensions }: SocketParams): string | GraphQLError => {
    if (query) return allowArbitraryOperations ? query : persistedOperationError(PersistedOperationCode.Only);
    const hash = hashOf(extensions);
    if (hash === null) return persistedOperationError(PersistedOperationCode.IdRequired);
    return documents.get(hash) ?? persistedOperationError(PersistedOperationCode.NotFound);
  };
  /** Socket operations refused, by their envelope's context. */
  const socketRefusals = new WeakMap<object, GraphQLError>();

  return {
    ...plugin,
    // A socket operation's envelope (no Fetch request): its params are the subscribe payload.
    onEnveloped({ context }) {
      const params = (context as { params?: SocketParams } | undefined)?.params;
      if (!params || !isSocketOperation(context)) return;
      const query = queryOf(params);
      if (query instanceof GraphQLError) {
        socketRefusals.set(context!, query);
        // A source of its own per refusal: Yoga's parser cache remembers a source's parse error.
        params.query ||= `# ${String(query.extensions.code)}`;
      } else params.query = query;
    },
    onParse(payload) {
      const refusal = socketRefusals.get(payload.context);
      if (refusal) return ({ replaceParseResult }) => replaceParseResult(refusal);
      return plugin.onParse?.(payload);
    },
  };
}
