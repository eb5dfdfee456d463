// Narrowing a staff view's scope (SPEC 10): free, at any time, by its own staff member: fewer
// sections, never more (a wider view is a new start with its reason, consent and four-eyes). The
// row and its audit record change in one transaction; the change is published, so every instance
// reads the view again (its cached identity is dropped, yoga.ts) and the banner shows the new scope.
import { AuditAction, AuditOutcome, type ImpersonationSession, type PortalSection } from '@prisma/client';
import { appendAuditInTransaction, auditRequestContext } from '../audit/chain.ts';
import type { RequestInfo, Services } from '../context.ts';
import { conflict, notFound } from '../errors.ts';
import { unendedSessionWhere } from './policy.ts';
import { narrowedScope } from './scope.ts';
import { publishSessionChange } from './session-end.ts';

/** Narrows the staff member's own live session to `sections` (a strict subset of its scope). */
export async function narrowImpersonationScope(
  ctx: Services & RequestInfo,
  sessionId: string,
  staffId: string,
  sections: readonly PortalSection[],
): Promise<ImpersonationSession> {
  const now = ctx.clock.now();
  const narrowed = await ctx.prisma.$transaction(async (tx) => {
    const session = await tx.impersonationSession.findFirst({ where: { id: sessionId, staffId } });
    if (!session) throw notFound('Impersonation session');
    const scope = narrowedScope(session.scope, sections);
    // Only from the scope read above: a narrowing racing another applies once, on what it saw.
    const { count } = await tx.impersonationSession.updateMany({
      where: { id: session.id, ...unendedSessionWhere, expiresAt: { gt: now }, scope: { equals: session.scope } },
      data: { scope, scopeNeed: null },
    });
    if (count === 0) throw conflict('The session changed or ended meanwhile');
    await appendAuditInTransaction(tx, {
      action: AuditAction.SESSION_SCOPE_NARROWED,
      outcome: AuditOutcome.ALLOWED,
      createdAt: now,
      staffId,
      customerId: session.customerId,
      sessionId: session.id,
      seen: {
        change: { target: `ImpersonationSession:${session.id}`, before: { scope: session.scope }, after: { scope } },
      },
      ...auditRequestContext(ctx),
    });
    return tx.impersonationSession.findUniqueOrThrow({ where: { id: session.id } });
  });
  publishSessionChange(ctx, narrowed);
  return narrowed;
}
