// The rules of a staff view as clients read them (`impersonationPolicy`): reason lengths and the
// duration limits, so forms and banners can mirror what the server enforces. The rules themselves
// are impersonation/policy.ts and the IMPERSONATION_* settings in config.ts.
import type { Context } from '../context.ts';
import { REASON_MAX, REASON_MIN, TERMINATE_REASON_MIN } from '../impersonation/policy.ts';
import { builder } from './builder.ts';

const ImpersonationPolicy = builder.objectRef<Context>('ImpersonationPolicy').implement({
  description: 'The rules a staff view follows, for clients to mirror (the server enforces them).',
  fields: (t) => ({
    reasonMinLength: t.int({ resolve: () => REASON_MIN }),
    reasonMaxLength: t.int({ resolve: () => REASON_MAX }),
    terminateReasonMinLength: t.int({ resolve: () => TERMINATE_REASON_MIN }),
    durationMinutes: t.int({ resolve: (ctx) => ctx.config.IMPERSONATION_DURATION_MINUTES }),
    extensionMinutes: t.int({ resolve: (ctx) => ctx.config.IMPERSONATION_EXTENSION_MINUTES }),
    extensionWindowMinutes: t.int({ resolve: (ctx) => ctx.config.IMPERSONATION_EXTENSION_WINDOW_MINUTES }),
    maxTotalMinutes: t.int({ resolve: (ctx) => ctx.config.IMPERSONATION_MAX_TOTAL_MINUTES }),
    breakGlassMinutes: t.int({
      description: 'The limit of an emergency access (break-glass), never extended.',
      resolve: (ctx) => Math.min(ctx.config.BREAK_GLASS_MINUTES, ctx.config.IMPERSONATION_DURATION_MINUTES),
    }),
  }),
});

builder.queryField('impersonationPolicy', (t) =>
  t.field({
    type: ImpersonationPolicy,
    authScopes: { staff: true, impersonating: true },
    resolve: (_root, _args, ctx) => ctx,
  }),
);
