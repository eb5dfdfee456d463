// The `stepUp` mutation: the manager gives their password again, and privileged actions
// (privileged.ts) are allowed on this sign-in for STEP_UP_MINUTES. A wrong password is refused
// with STEP_UP_REQUIRED (reason INVALID_CREDENTIALS), audited, and counted against sign-in limits.
import { assertSteppedUp } from '../access/step-up.ts';
import { builder } from './builder.ts';
import { sensitive } from './sensitive.ts';

interface StepUpShape {
  steppedUpAt: Date;
  validUntil: Date;
}

const StepUp = builder.objectRef<StepUpShape>('StepUp').implement({
  description: 'A passed step-up: privileged actions need no password on this sign-in until `validUntil`.',
  fields: (t) => ({
    steppedUpAt: t.field({ type: 'DateTime', resolve: (stepUp) => stepUp.steppedUpAt }),
    validUntil: t.field({ type: 'DateTime', resolve: (stepUp) => stepUp.validUntil }),
  }),
});

builder.mutationField('stepUp', (t) =>
  t.withAuth({ manager: true }).field({
    type: StepUp,
    description: 'Confirms the manager’s password again (after STEP_UP_REQUIRED) for the privileged actions.',
    args: { password: t.arg.string({ required: true, ...sensitive }) },
    resolve: async (_root, { password }, ctx) => {
      await assertSteppedUp(ctx, password, 'Mutation.stepUp');
      const steppedUpAt = ctx.authSession!.steppedUpAt!;
      return { steppedUpAt, validUntil: new Date(steppedUpAt.getTime() + ctx.config.STEP_UP_MINUTES * 60_000) };
    },
  }),
);
