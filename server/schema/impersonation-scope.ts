// A staff view's scope over GraphQL (SPEC 10): the input a start names its scope with, the scope on
// the session (banner, Active sessions), and `narrowImpersonationScope`. The rules are
// impersonation/scope.ts; what each section holds is portal-sections.ts.
import { notFound } from '../errors.ts';
import { REASON_MAX, REASON_MIN } from '../impersonation/policy.ts';
import { narrowImpersonationScope } from '../impersonation/narrowing.ts';
import { builder } from './builder.ts';
import { PortalSectionEnum } from './enums.ts';
import { ImpersonationSession } from './impersonation.ts';
import { exemptFromReadOnly } from './read-only.ts';

/** What a start names: sections, or WHOLE_PORTAL with a need. */
export const StaffViewScopeInput = builder.inputType('StaffViewScopeInput', {
  description:
    'The portal sections this view needs, or [WHOLE_PORTAL] alone with a stated need. Fields outside the ' +
    'scope do not resolve (OUTSIDE_SCOPE); widening is a new start, narrowing is free (narrowImpersonationScope).',
  fields: (t) => ({
    sections: t.field({ type: [PortalSectionEnum], required: true }),
    need: t.string({
      required: false,
      description: `Why the whole portal is needed (WHOLE_PORTAL only; ${REASON_MIN}-${REASON_MAX} characters). Staff and audit read it.`,
    }),
  }),
});

builder.prismaObjectFields(ImpersonationSession, (t) => ({
  scope: t.expose('scope', {
    type: [PortalSectionEnum],
    description: 'The portal sections this view may read, or [WHOLE_PORTAL].',
  }),
  scopeNeed: t.exposeString('scopeNeed', {
    nullable: true,
    description: 'Why the whole portal was needed (WHOLE_PORTAL only): staff and audit only.',
  }),
}));

builder.mutationField('narrowImpersonationScope', (t) =>
  t.prismaField({
    ...exemptFromReadOnly('narrowImpersonationScope'),
    type: ImpersonationSession,
    description: 'Narrows the caller’s own staff view to fewer sections at once (a wider view is a new start).',
    authScopes: { impersonating: true, manager: true },
    args: {
      sessionId: t.arg.id({ required: true }),
      sections: t.arg({ type: [PortalSectionEnum], required: true }),
    },
    resolve: async (query, _root, args, ctx) => {
      const sessionId = String(args.sessionId);
      if (ctx.impersonation && ctx.impersonation.id !== sessionId) {
        throw notFound('Impersonation session');
      }
      const narrowed = await narrowImpersonationScope(ctx, sessionId, ctx.actor!.id, args.sections);
      return ctx.prisma.impersonationSession.findUniqueOrThrow({ ...query, where: { id: narrowed.id } });
    },
  }),
);
