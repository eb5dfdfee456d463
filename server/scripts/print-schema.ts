// Prints the Pothos schema to schema.graphql (committed; the drift test compares the two).
import { writeFileSync } from 'node:fs';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from '../schema/index.ts';

/** The schema as committed in schema.graphql (sorted SDL). */
export const printedSchema = () => `${printSchema(lexicographicSortSchema(schema))}\n`;

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  writeFileSync(new URL('../../schema.graphql', import.meta.url), printedSchema());
  console.log('schema.graphql written');
}
