// Signing in and out, and `viewer`: who the current token speaks for.
import { AuditAction, AuditOutcome, type Customer as CustomerRow, type Staff as StaffRow } from '@prisma/client';
import { z } from 'zod';
import { createAuthSession } from '../auth/identity.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { ErrorCode, ErrorReason, appError } from '../errors.ts';
import { signOut } from '../impersonation/lifecycle.ts';
import type { Context } from '../context.ts';
import { builder } from './builder.ts';
import { sensitive } from './sensitive.ts';
import { Customer } from './customers.ts';
import { Staff } from './staff.ts';

/** Who the token in use speaks for. */
export const ViewerKind = builder.enumType('ViewerKind', {
  values: ['ANONYMOUS', 'CUSTOMER', 'STAFF', 'IMPERSONATION'] as const,
});

type ViewerKindValue = (typeof ViewerKind)['$inferType'];

const AuthPayload = builder
  .objectRef<{ token: string; kind: ViewerKindValue; expiresAt: Date }>('AuthPayload')
  .implement({
    fields: (t) => ({
      token: t.exposeString('token', { description: 'Bearer token: send as `Authorization: Bearer <token>`.' }),
      kind: t.expose('kind', { type: ViewerKind }),
      expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    }),
  });

const Viewer = builder.objectRef<{ kind: ViewerKindValue }>('Viewer').implement({
  fields: (t) => ({
    kind: t.expose('kind', { type: ViewerKind }),
    customer: t.field({
      type: Customer,
      nullable: true,
      description: 'The signed-in customer, or the customer viewed under impersonation.',
      // The identity's row lacks only the password hash (auth/identity.ts), which no field exposes.
      resolve: (_viewer, _args, ctx) => ctx.customer as CustomerRow | null,
    }),
    staff: t.field({
      type: Staff,
      nullable: true,
      description: 'The staff member acting, signed in or impersonating.',
      resolve: (_viewer, _args, ctx) => ctx.actor as StaffRow | null,
    }),
  }),
});

/** The kind of caller a context stands for. */
export function viewerKind(ctx: Pick<Context, 'impersonation' | 'customer' | 'actor'>): ViewerKindValue {
  if (ctx.impersonation) return 'IMPERSONATION';
  if (ctx.customer) return 'CUSTOMER';
  return ctx.actor ? 'STAFF' : 'ANONYMOUS';
}

/** Compared against when the email is unknown, so response time does not reveal accounts. */
const unknownAccountHash = hashPassword('no account has this password');

builder.queryFields((t) => ({
  viewer: t.field({
    type: Viewer,
    resolve: (_root, _args, ctx) => ({ kind: viewerKind(ctx) }),
  }),
}));

builder.mutationFields((t) => ({
  signIn: t.field({
    type: AuthPayload,
    description: 'Signs in a customer or a staff member by email and password.',
    args: {
      email: t.arg.string({ required: true, validate: z.string().trim().toLowerCase() }),
      password: t.arg.string({ required: true, ...sensitive }),
    },
    resolve: async (_root, { email, password }, ctx) => {
      const attempt = await ctx.rateLimits.beginSignIn(email, ctx.ip);
      const [customer, staff] = await Promise.all([
        ctx.prisma.customer.findUnique({ where: { email } }),
        ctx.prisma.staff.findUnique({ where: { email } }),
      ]);
      const account = customer ?? staff;
      const valid = await verifyPassword(password, account?.passwordHash ?? (await unknownAccountHash));
      if (staff && !customer) {
        const signedIn = valid && staff.active;
        ctx.auditTrace?.note({
          action: signedIn ? AuditAction.STAFF_SIGNED_IN : AuditAction.STAFF_SIGN_IN_FAILED,
          outcome: signedIn ? AuditOutcome.ALLOWED : AuditOutcome.DENIED,
          staffId: staff.id,
          reason: signedIn ? null : valid ? 'account disabled' : 'wrong password',
        });
      }
      if (!account || !valid) {
        throw appError(ErrorCode.Unauthenticated, 'Email or password is incorrect', {
          reason: ErrorReason.InvalidCredentials,
        });
      }
      await attempt.succeeded();
      if ((customer && customer.status !== 'ACTIVE') || (staff && !staff.active)) {
        throw appError(ErrorCode.Forbidden, 'This account is disabled', { reason: ErrorReason.AccountDisabled });
      }
      const now = ctx.clock.now();
      const expiresAt = new Date(now.getTime() + ctx.config.AUTH_SESSION_HOURS * 3_600_000);
      const { token } = await createAuthSession(ctx.prisma, {
        kind: customer ? 'CUSTOMER' : 'STAFF',
        customerId: customer?.id ?? null,
        staffId: staff?.id ?? null,
        createdAt: now,
        expiresAt,
      });
      return { token, kind: customer ? ('CUSTOMER' as const) : ('STAFF' as const), expiresAt };
    },
  }),
  signOut: t.withAuth({ authenticated: true }).boolean({
    description:
      'Revokes the token of this request and closes the sockets opened with it. A staff member’s sign-out also ends their active impersonation session.',
    resolve: async (_root, _args, ctx) => {
      await signOut(ctx);
      if (ctx.actor && !ctx.impersonation) ctx.auditTrace?.note({ action: AuditAction.STAFF_SIGNED_OUT });
      return true;
    },
  }),
}));
