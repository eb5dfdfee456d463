// Step-up for every privileged root field, in one place: every Query or Mutation field named in
// PRIVILEGED (privileged.ts) checks, before its arguments are mapped and its resolver runs, that the
// caller's sign-in stepped up within STEP_UP_MINUTES, else refuses with STEP_UP_REQUIRED
// (extensions.stepUpMinutes) and an audit record (access/step-up.ts). A field that takes a
// `password` argument (startImpersonation) steps up with it in the same call.
//
// Registered after ReadOnlyFirstPlugin: Pothos wraps argument mappers first plugin outermost, so the
// field's own scopes (and read-only under impersonation) refuse first. A groomer gets FORBIDDEN,
// a staff view IMPERSONATION_READ_ONLY, never a password prompt.
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';
import { assertSteppedUp } from '../access/step-up.ts';
import type { Context } from '../context.ts';
import { isPrivileged } from './privileged.ts';

const pluginName = 'stepUp';

/** Refuses privileged root fields until the caller's sign-in has stepped up recently. */
export class StepUpPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapArgMappers(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    const action = `${String(fieldConfig.parentType)}.${fieldConfig.name}`;
    if (!isPrivileged(action)) return resolver;
    const takesPassword = 'password' in fieldConfig.args;
    return async (parent, args, context, info) => {
      // The field's own scopes passed: the caller is staff signed in as themselves.
      const ctx = context as unknown as Context & { actor: NonNullable<Context['actor']> };
      const password = takesPassword ? (args as { password?: string | null }).password : undefined;
      await assertSteppedUp(ctx, password, action);
      return resolver(parent, args, context, info);
    };
  }
}

declare global {
  // Pothos registers plugins by augmenting its global namespace.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  export namespace PothosSchemaTypes {
    /** Registers the plugin's type with Pothos. */
    export interface Plugins<Types extends SchemaTypes> {
      stepUp: StepUpPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin(pluginName, StepUpPlugin);

export default pluginName;
