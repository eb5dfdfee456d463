// Enforces the limits of string-limits.ts: every String or ID argument and input field with a limit
// gets `extensions.maxLength` and a validator the validation plugin runs before its own, so a longer
// value is refused with BAD_USER_INPUT before any resolver, over HTTP and WebSocket alike.
import SchemaBuilder, {
  BasePlugin,
  PothosSchemaError,
  type PothosInputFieldConfig,
  type PothosInputFieldType,
  type PothosOutputFieldConfig,
  type SchemaTypes,
} from '@pothos/core';
import { z } from 'zod';

const pluginName = 'stringLimits';

/** The extension that carries an argument's or input field's longest value. */
export const MAX_LENGTH_EXTENSION = 'maxLength';

/** The limits a schema is built with (`builder.toSchema({ stringLimits })`). */
export interface StringLimitOptions {
  /** The longest value of every ID argument and input field without an entry of its own. */
  id: number;
  /** The longest value by schema coordinate: `Type.field(arg:)` or `InputType.field`. */
  coordinates: Readonly<Record<string, number>>;
}

/** Where the validation plugin collects the validators of an argument or input field. */
const VALIDATION_EXTENSION = '@pothos/plugin-validation';

type Validator = z.ZodType<unknown>;

/** Each string at most `max` long, through every level of a list type. */
function atMost<Types extends SchemaTypes>(type: PothosInputFieldType<Types>, max: number): Validator {
  if (type.kind !== 'List') return z.string().max(max, `at most ${max} characters`);
  const item = atMost(type.type, max);
  return z.array(type.type.required ? item : item.nullable());
}

/** Declares and enforces each limit; an argument or input field without one is left as it is. */
export class StringLimitsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  // Arguments are limited here, not in onInputFieldConfig: the validation plugin builds a field's
  // argument validator from the arguments as they stand when it sees the field, which is next.
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    const args = Object.entries(fieldConfig.args);
    const limited = args.map(([name, arg]) =>
      this.limit(arg, `${fieldConfig.parentType}.${fieldConfig.name}(${name}:)`),
    );
    if (limited.every((arg, i) => arg === args[i]![1])) return fieldConfig;
    return { ...fieldConfig, args: Object.fromEntries(args.map(([name], i) => [name, limited[i]!])) };
  }

  override onInputFieldConfig(fieldConfig: PothosInputFieldConfig<Types>): PothosInputFieldConfig<Types> {
    if (fieldConfig.kind === 'Arg') return fieldConfig;
    return this.limit(fieldConfig, `${fieldConfig.parentType}.${fieldConfig.name}`);
  }

  private limit(config: PothosInputFieldConfig<Types>, coordinate: string): PothosInputFieldConfig<Types> {
    const max = this.maxLength(config.type, coordinate);
    if (max === undefined) return config;
    const validation = (config.extensions?.[VALIDATION_EXTENSION] ?? {}) as { schemas?: Validator[] };
    return {
      ...config,
      extensions: {
        ...config.extensions,
        [MAX_LENGTH_EXTENSION]: max,
        // Last here is first to run: the validation plugin reverses the list, then adds `validate`.
        [VALIDATION_EXTENSION]: { ...validation, schemas: [...(validation.schemas ?? []), atMost(config.type, max)] },
      },
    };
  }

  private maxLength(type: PothosInputFieldType<Types>, coordinate: string): number | undefined {
    const limits = this.buildCache.options.stringLimits;
    if (!limits) throw new PothosSchemaError('builder.toSchema needs `stringLimits` (schema/string-limits.ts)');
    let named = type;
    while (named.kind === 'List') named = named.type;
    if (named.kind !== 'Scalar') return undefined;
    const scalar = this.buildCache.getTypeConfig(named.ref).name;
    if (scalar !== 'String' && scalar !== 'ID') return undefined;
    return limits.coordinates[coordinate] ?? (scalar === 'ID' ? limits.id : undefined);
  }
}

declare global {
  // Pothos registers plugins and their build options by augmenting its global namespace.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  export namespace PothosSchemaTypes {
    /** Registers the plugin's type with Pothos. */
    export interface Plugins<Types extends SchemaTypes> {
      stringLimits: StringLimitsPlugin<Types>;
    }
    /** The limits `builder.toSchema` applies. */
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- merges with Pothos's declaration, type parameter and all
    export interface BuildSchemaOptions<Types extends SchemaTypes> {
      stringLimits?: StringLimitOptions;
    }
  }
}

SchemaBuilder.registerPlugin(pluginName, StringLimitsPlugin);

export default pluginName;
