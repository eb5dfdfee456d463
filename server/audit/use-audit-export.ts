// GET /audit/export?shape=events|sessions|report&format=csv|ndjson&<filters> (export-shapes.ts): the
// audit log for managers, streamed, as a Yoga plugin (onRequest + endResponse, the shape of Yoga's readiness check), so it reads its caller
// through the same identity (auth/use-identity.ts) and records through the same attempt writer
// (attempts.ts) as every GraphQL operation. The export is itself recorded (AUDIT_EXPORTED, with the
// filter) before the first byte; if that record cannot be written, nothing is sent. A staff view's
// token leaves a record whatever the answer. The export is privileged (schema/privileged.ts): a
// manager whose step-up is due gets 403 STEP_UP_REQUIRED (recorded) and steps up with `stepUp`.
import { AuditAction, AuditOutcome, type Prisma } from '@prisma/client';
import type { Plugin } from 'graphql-yoga';
import { stepUpDue } from '../access/step-up.ts';
import { isManager } from '../auth/identity.ts';
import { identityOf } from '../auth/use-identity.ts';
import type { Services } from '../context.ts';
import { ErrorCode } from '../errors.ts';
import type { RequestInfoReader } from '../request-info.ts';
import { isPrivileged } from '../schema/privileged.ts';
import type { AttemptWriter } from './attempts.ts';
import { BadExportRequest } from './export.ts';
import { exportRequestOf, type ExportRequest } from './export-shapes.ts';

/** The path of the export. */
export const AUDIT_EXPORT_PATH = '/audit/export';

/** Options of {@link useAuditExport}. */
export interface AuditExportOptions {
  attempts: AttemptWriter;
  requestInfo: RequestInfoReader;
  /**
   * Records read and written per page.
   * @default 1000
   */
  pageSize?: number;
}

const refusal = (status: number, message: string, details: Record<string, unknown> = {}) =>
  new Response(JSON.stringify({ error: message, ...details }), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });

/**
 * Answers GET /audit/export: 401 without a valid token, 403 for anyone but a manager, and 403 with
 * `code: STEP_UP_REQUIRED` (and `stepUpMinutes`) while the manager's step-up is due.
 */
export function useAuditExport(
  services: Pick<Services, 'prisma' | 'clock' | 'config'>,
  options: AuditExportOptions,
): Plugin {
  const { attempts, requestInfo } = options;
  const pageSize = options.pageSize ?? 1000;

  const answer = async (request: Request, serverContext: object, url: URL): Promise<Response> => {
    const identity = await identityOf(services, { request });
    const caller = { ...requestInfo({ request, ...serverContext }), ...identity };
    const staffView = identity.impersonation ?? identity.tokenRefusal?.impersonation ?? null;
    const record = (outcome: AuditOutcome, errorCode: string | null, variables: Prisma.InputJsonValue | null) =>
      attempts.recordRequest(caller, {
        action: AuditAction.AUDIT_EXPORTED,
        outcome,
        errorCode,
        variables,
        operationType: 'export',
      });
    if (!identity.actor && !identity.customer) {
      if (staffView) await record(AuditOutcome.DENIED, 'UNAUTHENTICATED', null);
      return refusal(401, 'Sign in as a manager to export the audit log');
    }
    let parsed: ExportRequest;
    try {
      parsed = exportRequestOf(url.searchParams, services, pageSize);
    } catch (error) {
      if (!(error instanceof BadExportRequest)) throw error;
      if (staffView) await record(AuditOutcome.DENIED, 'BAD_USER_INPUT', null);
      return refusal(400, error.message);
    }
    const { variables } = parsed;
    if (!isManager(identity)) {
      if (identity.actor) await record(AuditOutcome.DENIED, 'FORBIDDEN', variables);
      return refusal(403, 'Only managers may export the audit log');
    }
    const minutes = services.config.STEP_UP_MINUTES;
    if (isPrivileged(`GET ${AUDIT_EXPORT_PATH}`) && stepUpDue(identity.authSession!, services.clock.now(), minutes)) {
      await record(AuditOutcome.DENIED, ErrorCode.StepUpRequired, variables);
      return refusal(403, `Enter your password again: you signed in over ${minutes} minutes ago`, {
        code: ErrorCode.StepUpRequired,
        stepUpMinutes: minutes,
      });
    }
    if (!(await record(AuditOutcome.ALLOWED, null, variables)))
      return refusal(503, 'The audit record of this export could not be written; nothing was exported');

    const pages = parsed.pages();
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(encoder.encode(parsed.header)),
      // One page per pull: a client that reads slowly holds the next page back.
      async pull(controller) {
        const page = await pages.next();
        if (page.done) controller.close();
        else controller.enqueue(encoder.encode(page.value));
      },
      cancel: async () => void (await pages.return(undefined)),
    });
    const stamp = services.clock.now().toISOString().replace(/[:.]/g, '-');
    return new Response(body, {
      headers: {
        'content-type': parsed.contentType,
        'content-disposition': `attachment; filename="${parsed.fileName.stem}-${stamp}.${parsed.fileName.extension}"`,
        'cache-control': 'no-store',
      },
    });
  };

  return {
    async onRequest({ request, url, serverContext, endResponse }) {
      if (request.method !== 'GET' || url.pathname !== AUDIT_EXPORT_PATH) return;
      endResponse(await answer(request, serverContext as object, url));
    },
  };
}
