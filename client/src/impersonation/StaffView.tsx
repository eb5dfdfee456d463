// The portal under an impersonation token: read-only, wrapped in the staff-view chrome, fed by
// the banner subscription. The session it shows comes with every portal page (its fragment is part
// of each page's one query, see portal/pageQuery.tsx). Any end (pushed by the server, seen as a closed socket or a refused
// token, reached by the countdown, or asked for with End session) leaves the portal at once.
import { useCallback, useEffect, useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import { useMutation, useSubscription } from 'urql';
import { useSession } from '../auth/session.tsx';
import { graphql, useFragment } from '../gql/index.ts';
import { PageDataScope, PortalChromeFragment, type PortalChromeData } from '../portal/pageQuery.tsx';
import type { StaffViewStatusSubscription as StaffViewStatus } from '../gql/graphql.ts';
import { errorText } from '../ui/feedback.tsx';
import { offsetFromRemaining, offsetFromServerTime } from './clock.ts';
import { ReadOnlyProvider } from './readOnly.tsx';
import { Dialog, DialogActions } from '../ui/Dialog.tsx';
import { StaffChrome } from './StaffChrome.tsx';
import { sectionsInView } from '../staffViewScope.ts';

/** The staff view's part of every page query under a staff view. */
export const StaffViewSessionFragment = graphql(`
  fragment StaffViewSession on Query {
    currentImpersonation {
      id
      reason
      scope
      ticket
      startedAt
      expiresAt
      remainingSeconds
      canExtend
      state
      endReason
      customer {
        id
        name
      }
      staff {
        id
        name
      }
    }
    impersonationPolicy {
      extensionMinutes
    }
  }
`);

const StaffViewStatusSubscription = graphql(`
  subscription StaffViewStatus {
    impersonationSession {
      sessionId
      state
      remainingSeconds
      expiresAt
      serverTime
      endReason
      canExtend
      extensionAvailableAt
    }
  }
`);

const ExtendStaffViewMutation = graphql(`
  mutation ExtendStaffView($sessionId: ID!) {
    extendImpersonation(sessionId: $sessionId) {
      id
      expiresAt
      extendedAt
      canExtend
      remainingSeconds
    }
  }
`);

const EndStaffViewMutation = graphql(`
  mutation EndStaffView($sessionId: ID!) {
    endImpersonation(sessionId: $sessionId) {
      id
      state
      endReason
    }
  }
`);

const ReportStaffViewTamperingMutation = graphql(`
  mutation ReportStaffViewTampering($marks: [StaffViewMark!]!, $how: [StaffViewTamperSign!]!) {
    reportStaffViewTampering(marks: $marks, how: $how) {
      counted
      incidents
      limit
      ended
    }
  }
`);

/** The portal while the marks are hidden: unreadable, and nothing in it can be used. */
const BLURRED: CSSProperties = { filter: 'blur(14px)', pointerEvents: 'none', userSelect: 'none' };

type Tick = StaffViewStatus['impersonationSession'] & { receivedAt: number };

export function StaffView({ sessionId, children }: { sessionId: string; children: ReactNode }) {
  const { endStaffView, endingOwnStaffView, session: signedIn } = useSession();
  const [page, setPage] = useState<PortalChromeData | null>(null);
  const current = useFragment(StaffViewSessionFragment, useFragment(PortalChromeFragment, page));
  const [live] = useSubscription({ query: StaffViewStatusSubscription }, (_previous: Tick | undefined, data): Tick => ({
    ...data.impersonationSession,
    receivedAt: Date.now(),
  }));
  const [extendResult, extend] = useMutation(ExtendStaffViewMutation);
  const [endResult, end] = useMutation(EndStaffViewMutation);
  const [tamperResult, reportTampering] = useMutation(ReportStaffViewTamperingMutation);
  const [marksHidden, setMarksHidden] = useState(false);
  const [confirmingExtend, setConfirmingExtend] = useState(false);
  const extensionMinutes = current?.impersonationPolicy.extensionMinutes ?? null;
  const session = current?.currentImpersonation;
  const tick = live.data;
  // The pages ask for the view's sections only: the scope kept at the start, then the one each page
  // brings (a narrowed view's).
  const started = signedIn.kind === 'IMPERSONATION' ? signedIn.scope : undefined;
  const scopeKey = (session?.scope ?? started ?? []).join(',');
  const sections = useMemo(() => sectionsInView(scopeKey ? scopeKey.split(',') : null), [scopeKey]);

  // The first receipt of each expiry stands in for when its remainingSeconds was computed (a page
  // answered later from the cache brings the same, older figure).
  const [anchor, setAnchor] = useState<{ expiresAt: string; remainingSeconds: number; receivedAt: number } | null>(
    null,
  );
  useEffect(() => {
    if (session && session.expiresAt !== anchor?.expiresAt)
      setAnchor({ expiresAt: session.expiresAt, remainingSeconds: session.remainingSeconds, receivedAt: Date.now() });
  }, [session, anchor]);

  const expiresAt = tick?.expiresAt ?? session?.expiresAt ?? null;
  const clockOffsetMs = tick
    ? offsetFromServerTime(tick.serverTime, tick.receivedAt)
    : anchor
      ? offsetFromRemaining(anchor.expiresAt, anchor.remainingSeconds, anchor.receivedAt)
      : 0;

  // The server pushes the end with its reason, then closes the socket.
  useEffect(() => {
    if (tick && tick.state !== 'ACTIVE') endStaffView({ sessionId, state: tick.state, reason: tick.endReason ?? null });
  }, [tick, sessionId, endStaffView]);

  // An incident that reached the limit ended the view: leave at once, before a refused token says less.
  const tamperReport = tamperResult.data?.reportStaffViewTampering;
  useEffect(() => {
    if (tamperReport?.ended) endStaffView({ sessionId, state: 'TAMPERED', reason: null });
  }, [tamperReport, sessionId, endStaffView]);

  // Started (or reloaded): the keyboard and the screen reader begin at the banner, which says whose
  // portal this is and holds the view's controls.
  useEffect(() => {
    document.querySelector<HTMLElement>('[data-testid="staff-banner"]')?.focus();
  }, []);

  const onExpire = useCallback(
    () => endStaffView({ sessionId, state: 'EXPIRED', reason: null }),
    [sessionId, endStaffView],
  );

  const onEnd = async () => {
    endingOwnStaffView(sessionId);
    const result = await end({ sessionId });
    if (result.data)
      endStaffView({ sessionId, state: 'ENDED', reason: result.data.endImpersonation.endReason ?? null });
    else endingOwnStaffView(null);
  };

  const problem = endResult.error
    ? `Could not end the session: ${errorText(endResult.error)}`
    : extendResult.error
      ? `Could not extend: ${errorText(extendResult.error)}`
      : live.error
        ? 'Live updates are interrupted; the countdown keeps running. Reconnecting…'
        : null;

  return (
    <ReadOnlyProvider customerName={session?.customer.name ?? null}>
      <StaffChrome
        sessionId={sessionId}
        customerName={session?.customer.name ?? null}
        staffName={session?.staff.name ?? null}
        reason={session?.reason ?? null}
        scope={session?.scope ?? null}
        ticket={session?.ticket ?? null}
        startedAt={session?.startedAt ?? null}
        expiresAt={expiresAt}
        clockOffsetMs={clockOffsetMs}
        canExtend={tick?.canExtend ?? session?.canExtend ?? false}
        extending={extendResult.fetching}
        ending={endResult.fetching}
        problem={problem}
        extensionMinutes={extensionMinutes}
        onExtend={() => setConfirmingExtend(true)}
        onEnd={() => void onEnd()}
        onExpire={onExpire}
        onTamper={(incident) => void reportTampering(incident)}
        onMarksHidden={setMarksHidden}
      />
      {marksHidden && <MarksHiddenNotice report={tamperResult.data?.reportStaffViewTampering ?? null} />}
      {confirmingExtend && (
        <Dialog title="Extend this staff view?" onClose={() => setConfirmingExtend(false)} testId="confirm-extend">
          <p>
            The session gets {extensionMinutes ? `${extensionMinutes} more minutes` : 'more time'}. A staff view can be
            extended once; the customer is told at once, by email and in their portal's messages, and sees it in their
            access log ("extended once, until ...").
          </p>
          <DialogActions onCancel={() => setConfirmingExtend(false)}>
            <button
              type="button"
              className="button button--primary"
              data-testid="confirm-extend-button"
              onClick={() => {
                setConfirmingExtend(false);
                void extend({ sessionId });
              }}
            >
              Extend{extensionMinutes ? ` by ${extensionMinutes} minutes` : ''}
            </button>
          </DialogActions>
        </Dialog>
      )}
      <div className="staff-view-offset" data-testid="staff-view-portal" style={marksHidden ? BLURRED : undefined}>
        <PageDataScope staffView sections={sections} onPage={setPage}>
          {children}
        </PageDataScope>
      </div>
    </ReadOnlyProvider>
  );
}

/** Told to the staff member while the portal is blurred: why, and what follows. */
function MarksHiddenNotice({ report }: { report: { incidents: number; limit: number } | null }) {
  return (
    <div className="staff-view-tampered" role="alert" data-testid="marks-hidden-notice">
      <strong>The staff view’s banner, border or watermark is hidden or covered.</strong> The portal stays blurred until
      they show again. Each time is recorded and shown to managers
      {report ? `: ${report.incidents} of ${report.limit}, then this view ends.` : '; after a few, this view ends.'}
    </div>
  );
}
