// A Prisma generator that writes the parts of the full DMMF datamodel a migration must match
// (server/generated/prisma-datamodel.json): models with their columns (type, native type, list,
// nullability), relations' foreign keys, primary keys, unique constraints and indexes, and enums.
// The client's runtime `Prisma.dmmf` and Pothos' getDatamodel() leave out native types and
// @@index, and Prisma 7 cannot run `migrate diff` here (its schema engine is native): the test
// test/migrations-datamodel.test.ts compares a freshly migrated database with this file.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import generatorHelper from '@prisma/generator-helper';

generatorHelper.generatorHandler({
  onManifest: () => ({ prettyName: 'Datamodel snapshot', defaultOutput: '../server/generated/prisma-datamodel.json' }),
  async onGenerate(options) {
    const { datamodel } = options.dmmf;
    const snapshot = {
      models: datamodel.models.map((model) => ({
        name: model.name,
        dbName: model.dbName ?? null,
        primaryKey: model.primaryKey ?? null,
        fields: model.fields.map((field) => ({
          name: field.name,
          dbName: field.dbName ?? null,
          kind: field.kind,
          type: field.type,
          isList: field.isList,
          isRequired: field.isRequired,
          isId: field.isId,
          nativeType: field.nativeType ?? null,
          relationFromFields: field.relationFromFields ?? null,
          relationToFields: field.relationToFields ?? null,
          relationOnDelete: field.relationOnDelete ?? null,
          relationOnUpdate: field.relationOnUpdate ?? null,
        })),
      })),
      enums: datamodel.enums.map((e) => ({
        name: e.name,
        dbName: e.dbName ?? null,
        values: e.values.map((value) => value.dbName ?? value.name),
      })),
      indexes: datamodel.indexes.map((index) => ({
        model: index.model,
        type: index.type,
        dbName: index.dbName ?? null,
        fields: index.fields.map((field) => field.name),
      })),
    };
    const output = options.generator.output?.value;
    if (!output) throw new Error('datamodel generator: no output path');
    await mkdir(dirname(output), { recursive: true });
    await writeFile(output, `${JSON.stringify(snapshot, null, 2)}\n`);
  },
});
