// The migrations must build exactly the database the Prisma datamodel describes. Prisma 7 cannot
// run `migrate diff` here (its schema engine is native and cannot be downloaded), so migration SQL
// is written by hand and this test is the check: it applies prisma/migrations to a fresh database
// (a fresh schema in the PostgreSQL of DATABASE_URL, or the embedded one) and compares the
// catalog (tables, columns with their types and nullability, enums and their values, primary
// keys, unique constraints, indexes, foreign keys) with the full datamodel that
// prisma/datamodel-generator.mjs writes at `prisma generate`. Any drift fails, with a list.
//
// Objects that migrations add on purpose and Prisma cannot express (partial indexes, functions,
// triggers, the migrations table) are listed in HAND_WRITTEN below.
// Partitions (the audit log's months, migration 0022) are their partitioned table's: the table,
// its columns and its indexes are compared once, on the partitioned table.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../server/db/database.ts';

interface SnapshotField {
  name: string;
  dbName: string | null;
  kind: 'scalar' | 'enum' | 'object' | 'unsupported';
  type: string;
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  nativeType: [string, string[]] | null;
  relationFromFields: string[] | null;
  relationToFields: string[] | null;
  relationOnDelete: string | null;
  relationOnUpdate: string | null;
}
interface Snapshot {
  models: { name: string; dbName: string | null; fields: SnapshotField[] }[];
  enums: { name: string; dbName: string | null; values: string[] }[];
  indexes: { model: string; type: 'id' | 'normal' | 'unique' | 'fulltext'; dbName: string | null; fields: string[] }[];
}

const snapshot = JSON.parse(
  readFileSync(new URL('../server/generated/prisma-datamodel.json', import.meta.url), 'utf8'),
) as Snapshot;

/** In the database on purpose, outside the Prisma datamodel. */
const HAND_WRITTEN = {
  tables: ['_app_migrations'],
  // 0002_guards: at most one unended impersonation session per staff member (partial unique index).
  indexes: ['ImpersonationSession_one_active_per_staff'],
};

/** PostgreSQL's format_type() of a Prisma scalar without a native type attribute. */
const DEFAULT_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Boolean: 'boolean',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Decimal: 'numeric(65,30)',
  Bytes: 'bytea',
};

/** format_type() of the native types this schema may use (`@db.X(args)`). */
function nativeTypeName([name, args]: [string, string[]]): string {
  const withArgs = (base: string) => (args.length ? `${base}(${args.join(',')})` : base);
  switch (name) {
    case 'Date':
      return 'date';
    case 'Text':
      return 'text';
    case 'Uuid':
      return 'uuid';
    case 'Timestamptz':
      return `timestamp(${args[0] ?? '6'}) with time zone`;
    case 'Timestamp':
      return `timestamp(${args[0] ?? '6'}) without time zone`;
    case 'VarChar':
      return withArgs('character varying');
    case 'Char':
      return withArgs('character');
    case 'SmallInt':
      return 'smallint';
    case 'Integer':
      return 'integer';
    case 'Real':
      return 'real';
    case 'DoublePrecision':
      return 'double precision';
    case 'Decimal':
      return withArgs('numeric');
    case 'JsonB':
      return 'jsonb';
    case 'Json':
      return 'json';
    default:
      throw new Error(`migrations-datamodel test: map the native type @db.${name} to PostgreSQL's name first`);
  }
}

const modelTable = new Map(snapshot.models.map((model) => [model.name, model.dbName ?? model.name]));
const column = (model: string, field: string) => {
  const found = snapshot.models.find((m) => m.name === model)?.fields.find((f) => f.name === field);
  if (!found) throw new Error(`no field ${model}.${field}`);
  return found.dbName ?? found.name;
};
/** Prisma's default constraint names: table and columns joined by _, a suffix, at most 63 bytes. */
const defaultName = (table: string, columns: string[], suffix: string) =>
  `${[table, ...columns].join('_').slice(0, 63 - suffix.length - 1)}_${suffix}`;

/** What the datamodel says the database holds, as sorted lines. */
function expected() {
  const tables: string[] = [];
  const columns: string[] = [];
  const indexes: string[] = [];
  const foreignKeys: string[] = [];
  for (const model of snapshot.models) {
    const table = modelTable.get(model.name)!;
    tables.push(table);
    for (const field of model.fields) {
      if (field.kind === 'scalar' || field.kind === 'enum') {
        const base =
          field.kind === 'enum'
            ? `"${snapshot.enums.find((e) => e.name === field.type)?.dbName ?? field.type}"`
            : field.nativeType
              ? nativeTypeName(field.nativeType)
              : DEFAULT_TYPES[field.type];
        if (!base) throw new Error(`migrations-datamodel test: no PostgreSQL type for ${field.type}`);
        // Prisma creates scalar lists without NOT NULL.
        const nullable = field.isList || !field.isRequired;
        columns.push(
          `${table}.${field.dbName ?? field.name} ${base}${field.isList ? '[]' : ''} ${nullable ? 'NULL' : 'NOT NULL'}`,
        );
      } else if (field.kind === 'object' && field.relationFromFields?.length) {
        const from = field.relationFromFields.map((name) => column(model.name, name));
        const to = (field.relationToFields ?? []).map((name) => column(field.type, name));
        // Prisma's defaults: Restrict for a required relation, SetNull for an optional one; Cascade on update.
        const onDelete = field.relationOnDelete ?? (field.isRequired ? 'Restrict' : 'SetNull');
        const onUpdate = field.relationOnUpdate ?? 'Cascade';
        foreignKeys.push(
          `${defaultName(table, from, 'fkey')} ${table}(${from.join(',')}) -> ${modelTable.get(field.type)}(${to.join(',')}) ` +
            `ON DELETE ${onDelete} ON UPDATE ${onUpdate}`,
        );
      }
    }
  }
  for (const index of snapshot.indexes) {
    const table = modelTable.get(index.model)!;
    const columns = index.fields.map((name) => column(index.model, name));
    const kind = index.type === 'id' ? 'PRIMARY KEY' : index.type === 'unique' ? 'UNIQUE' : 'INDEX';
    const suffix = index.type === 'id' ? 'pkey' : index.type === 'unique' ? 'key' : 'idx';
    // Prisma names a primary key after its table alone.
    const name = index.dbName ?? (index.type === 'id' ? `${table}_pkey` : defaultName(table, columns, suffix));
    indexes.push(`${name} ${kind} ${table}(${columns.join(',')})`);
  }
  const enums = snapshot.enums.map((e) => `${e.dbName ?? e.name}: ${[...e.values].sort().join(',')}`);
  return {
    tables: tables.sort(),
    columns: columns.sort(),
    enums: enums.sort(),
    indexes: indexes.sort(),
    foreignKeys: foreignKeys.sort(),
  };
}

const REFERENTIAL_ACTIONS: Record<string, string> = {
  a: 'NoAction',
  r: 'Restrict',
  c: 'Cascade',
  n: 'SetNull',
  d: 'SetDefault',
};

/** What the migrated database holds (the current schema), as sorted lines. */
async function actual(db: Database) {
  const query = async <T extends object>(sql: string) => (await db.pool.query<T>(sql)).rows;
  const tables = (
    await query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition`,
    )
  )
    .map((row) => row.name)
    .filter((name) => !HAND_WRITTEN.tables.includes(name));
  const columns = (
    await query<{ line: string; table: string }>(
      `SELECT c.relname AS table,
              c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' ||
              CASE WHEN a.attnotnull THEN 'NOT NULL' ELSE 'NULL' END AS line
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND a.attnum > 0 AND NOT a.attisdropped`,
    )
  )
    .filter((row) => !HAND_WRITTEN.tables.includes(row.table))
    .map((row) => row.line);
  const enums = (
    await query<{ line: string }>(
      `SELECT t.typname || ': ' || string_agg(e.enumlabel, ',' ORDER BY e.enumlabel COLLATE "C") AS line
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
        WHERE t.typnamespace = current_schema()::regnamespace
        GROUP BY t.typname`,
    )
  ).map((row) => row.line);
  // Every index: a primary key, a unique constraint or index, or a plain index; partial and
  // expression indexes show their predicate/expressions so that they can never pass for a model one.
  const indexes = (
    await query<{ name: string; table: string; line: string }>(
      `SELECT i.relname AS name, t.relname AS table,
              i.relname || ' ' ||
              CASE WHEN x.indisprimary THEN 'PRIMARY KEY' WHEN x.indisunique THEN 'UNIQUE' ELSE 'INDEX' END || ' ' ||
              t.relname || '(' ||
              (SELECT string_agg(COALESCE(a.attname, '<expr>'), ',' ORDER BY k.ord)
                 FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                 LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) || ')' ||
              CASE WHEN x.indpred IS NOT NULL THEN ' WHERE ' || pg_get_expr(x.indpred, t.oid) ELSE '' END ||
              CASE WHEN am.amname <> 'btree' THEN ' USING ' || am.amname ELSE '' END AS line
         FROM pg_index x
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_class t ON t.oid = x.indrelid
         JOIN pg_am am ON am.oid = i.relam
        WHERE t.relnamespace = current_schema()::regnamespace AND NOT t.relispartition`,
    )
  )
    .filter((row) => !HAND_WRITTEN.tables.includes(row.table) && !HAND_WRITTEN.indexes.includes(row.name))
    .map((row) => row.line);
  const foreignKeys = (
    await query<{
      name: string;
      table: string;
      columns: string;
      ref_table: string;
      ref_columns: string;
      del: string;
      upd: string;
    }>(
      `SELECT con.conname AS name, t.relname AS table, r.relname AS ref_table,
              (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
              (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS ref_columns,
              con.confdeltype AS del, con.confupdtype AS upd
         FROM pg_constraint con
         JOIN pg_class t ON t.oid = con.conrelid
         JOIN pg_class r ON r.oid = con.confrelid
        WHERE con.contype = 'f' AND con.connamespace = current_schema()::regnamespace`,
    )
  ).map(
    (row) =>
      `${row.name} ${row.table}(${row.columns}) -> ${row.ref_table}(${row.ref_columns}) ` +
      `ON DELETE ${REFERENTIAL_ACTIONS[row.del]} ON UPDATE ${REFERENTIAL_ACTIONS[row.upd]}`,
  );
  return {
    tables: tables.sort(),
    columns: columns.sort(),
    enums: enums.sort(),
    indexes: indexes.sort(),
    foreignKeys: foreignKeys.sort(),
  };
}

/** Lines only on one side, for a readable failure. */
function drift(want: string[], got: string[]) {
  return {
    missingFromMigrations: want.filter((line) => !got.includes(line)),
    notInDatamodel: got.filter((line) => !want.includes(line)),
  };
}

describe('prisma/migrations against the Prisma datamodel', () => {
  let db: Database;
  let schema: string | undefined;
  let found: Awaited<ReturnType<typeof actual>>;
  const want = expected();

  beforeAll(async () => {
    schema = process.env.DATABASE_URL ? `test_${randomBytes(6).toString('hex')}` : undefined;
    db = await openDatabase({ url: process.env.DATABASE_URL, schema });
    found = await actual(db);
  });
  afterAll(async () => {
    if (schema) await db?.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db?.close();
  });

  it('reads a datamodel snapshot that covers every model and enum of the generated client', async () => {
    const { Prisma } = await import('@prisma/client');
    expect(snapshot.models.map((m) => m.name).sort()).toEqual(Object.values(Prisma.ModelName).sort());
    expect(snapshot.models.length).toBeGreaterThan(10);
    expect(want.columns.length).toBeGreaterThan(100);
  });

  for (const part of ['tables', 'columns', 'enums', 'indexes', 'foreignKeys'] as const) {
    it(`has the datamodel's ${part}, and no others`, () => {
      expect(drift(want[part], found[part])).toEqual({ missingFromMigrations: [], notInDatamodel: [] });
    });
  }

  it('finds every hand-written object it allows for (a stale allow-list entry would hide nothing)', async () => {
    const { rows } = await db.pool.query<{ name: string }>(
      `SELECT relname AS name FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relname = ANY($1)`,
      [[...HAND_WRITTEN.tables, ...HAND_WRITTEN.indexes]],
    );
    expect(rows.map((row) => row.name).sort()).toEqual([...HAND_WRITTEN.tables, ...HAND_WRITTEN.indexes].sort());
  });
});
