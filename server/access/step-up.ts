// Step-up before a privileged action (SPEC 7, the list: schema/privileged.ts), like GitHub's sudo
// mode: a manager whose sign-in, or last step-up, is older than STEP_UP_MINUTES gives their password
// again (the `stepUp` mutation, or a start's `password`). A right password refreshes the step-up
// time of that sign-in; a wrong one is refused and audited, and counts against the sign-in limits
// of the account (it is a guess at the same password). A refusal for a due step-up is audited too.
import { AuditAction, AuditOutcome, type AuthSession, type Staff } from '@prisma/client';
import { verifyPassword } from '../auth/passwords.ts';
import type { Context } from '../context.ts';
import { ErrorCode, ErrorReason, appError } from '../errors.ts';

/** The sign-in's fields step-up reads. */
export type StepUpSignIn = Pick<AuthSession, 'createdAt' | 'steppedUpAt'>;

/** Whether the password must be asked again at `now`: the sign-in, or its last step-up, is too old. */
export function stepUpDue(signIn: StepUpSignIn, now: Date, stepUpMinutes: number): boolean {
  const last = Math.max(signIn.createdAt.getTime(), signIn.steppedUpAt?.getTime() ?? 0);
  return now.getTime() - last > stepUpMinutes * 60_000;
}

/** STEP_UP_REQUIRED: the client asks for the password (`reason` says whether one was wrong). */
const stepUpRequired = (message: string, extensions: Record<string, unknown> = {}) =>
  appError(ErrorCode.StepUpRequired, message, extensions);

/**
 * Checks the step-up of the staff member taking a privileged action (`action` names it for the
 * audit). With a password, checks it (counted as a sign-in attempt) and on success renews the
 * step-up time of this sign-in; without one, refuses (and audits the refusal) when a step-up is due.
 */
export async function assertSteppedUp(
  ctx: Pick<Context, 'prisma' | 'clock' | 'config' | 'rateLimits' | 'ip' | 'auditTrace'> & {
    actor: Pick<Staff, 'id' | 'email'>;
    authSession: Pick<AuthSession, 'id' | 'createdAt' | 'steppedUpAt'> | null;
  },
  password: string | null | undefined,
  action = 'a privileged action',
): Promise<void> {
  const now = ctx.clock.now();
  const signIn = ctx.authSession;
  if (!signIn) throw appError(ErrorCode.Unauthenticated, 'Sign in first');
  if (password === null || password === undefined) {
    if (!stepUpDue(signIn, now, ctx.config.STEP_UP_MINUTES)) return;
    ctx.auditTrace?.note({
      action: AuditAction.STEP_UP_FAILED,
      outcome: AuditOutcome.DENIED,
      reason: `step-up due for ${action}`,
    });
    throw stepUpRequired(`Enter your password again: you signed in over ${ctx.config.STEP_UP_MINUTES} minutes ago`, {
      stepUpMinutes: ctx.config.STEP_UP_MINUTES,
    });
  }
  const attempt = await ctx.rateLimits.beginSignIn(ctx.actor.email, ctx.ip);
  // The identity holds no password hash (auth/identity.ts): read it for this check only.
  const { passwordHash } = await ctx.prisma.staff.findUniqueOrThrow({
    where: { id: ctx.actor.id },
    select: { passwordHash: true },
  });
  if (!(await verifyPassword(password, passwordHash))) {
    ctx.auditTrace?.note({
      action: AuditAction.STEP_UP_FAILED,
      outcome: AuditOutcome.DENIED,
      reason: 'wrong password',
    });
    throw stepUpRequired('The password is incorrect', { reason: ErrorReason.InvalidCredentials });
  }
  await attempt.succeeded();
  await ctx.prisma.authSession.update({ where: { id: signIn.id }, data: { steppedUpAt: now } });
  // Later root fields of the same operation read this sign-in from the context.
  signIn.steppedUpAt = now;
  ctx.auditTrace?.note({ action: AuditAction.STEP_UP_PASSED, reason: action });
}
