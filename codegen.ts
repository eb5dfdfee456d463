// GraphQL Code Generator: typed documents for the client from the server's printed schema.
// `npm run codegen` writes client/src/gql/ (committed); components import `graphql()` from there.
// It also writes client/src/gql/persisted-documents.json, {hash: document}: the server's allow-list
// (server/persisted-operations.ts). The client sends only the hash (client/src/client.ts).
import { createHash } from 'node:crypto';
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: './schema.graphql',
  documents: ['client/src/**/*.{ts,tsx}', '!client/src/gql/**', '!client/src/**/*.test.{ts,tsx}'],
  ignoreNoDocuments: false,
  generates: {
    'client/src/gql/': {
      preset: 'client',
      presetConfig: {
        // Fragment colocation: a component declares the fragment it reads and unmasks its part of a
        // page's result with `useFragment`; each page composes its chrome's fragments into the one
        // query it sends (client/src/portal/pageQuery.tsx).
        fragmentMasking: { unmaskFunctionName: 'useFragment' },
        // Each document carries `__meta__.hash`. The hash is the bare hex SHA-256 of the stored text,
        // as `extensions.persistedQuery.sha256Hash` carries it (the preset's 'sha256' prefixes "sha256:").
        persistedDocuments: {
          mode: 'embedHashInDocument',
          hashPropertyName: 'hash',
          hashAlgorithm: (document: string) => createHash('sha256').update(document).digest('hex'),
        },
      },
      config: {
        // The repo type-checks with NodeNext resolution, which wants explicit extensions.
        importExtension: '.ts',
        useTypeImports: true,
        // Enums as const objects: the client lists their values (filters) from the schema.
        enumType: 'const',
        strictScalars: true,
        // ISO strings on the wire; the client formats them in local time.
        scalars: { DateTime: 'string', Date: 'string', JSON: 'unknown' },
      },
    },
  },
};

export default config;
