// The staff-view banner's live feed: the `impersonationSession` subscription and its
// ImpersonationStatus (remaining time every tick, the end with its reason at once). The stream is
// impersonation/live.ts; the socket registry (session-sockets.ts) closes the socket after the end.
import { sessionStatusStream, type SessionStatus } from '../impersonation/live.ts';
import { extensionDecision, remainingSeconds, sessionState } from '../impersonation/policy.ts';
import { DELIVERS_SESSION_END } from '../impersonation/session-sockets.ts';
import { builder } from './builder.ts';
import { SessionStateEnum } from './impersonation.ts';

const ImpersonationStatus = builder.objectRef<SessionStatus>('ImpersonationStatus').implement({
  description: 'The live state of the impersonation session of the token in use.',
  fields: (t) => ({
    sessionId: t.id({ resolve: ({ session }) => session.id }),
    state: t.field({ type: SessionStateEnum, resolve: ({ session, now }) => sessionState(session, now) }),
    remainingSeconds: t.int({ resolve: ({ session, now }) => remainingSeconds(session, now) }),
    expiresAt: t.field({ type: 'DateTime', resolve: ({ session }) => session.expiresAt }),
    serverTime: t.field({
      type: 'DateTime',
      description: 'For clients to correct their clock.',
      resolve: ({ now }) => now,
    }),
    endReason: t.string({ nullable: true, resolve: ({ session }) => session.endReason }),
    canExtend: t.boolean({
      resolve: ({ session, now }, _args, ctx) => extensionDecision(session, now, ctx.limits).allowed,
    }),
    extensionAvailableAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: ({ session, now }, _args, ctx) => extensionDecision(session, now, ctx.limits).availableAt,
    }),
  }),
});

builder.subscriptionField('impersonationSession', (t) =>
  t.withAuth({ impersonating: true }).field({
    type: ImpersonationStatus,
    description: 'The banner feed: remaining time every tick, and the end (with its reason) at once.',
    // The feed ends after pushing the end: the socket registry closes the socket once it was sent.
    extensions: { [DELIVERS_SESSION_END]: true },
    subscribe: (_root, _args, ctx) => sessionStatusStream(ctx, ctx.impersonation.id),
    resolve: (status) => status,
  }),
);
