// The marks of a staff view: the amber banner fixed on top, a 3px amber border round the viewport
// and a faint diagonal STAFF VIEW watermark. Nothing here can be closed or hidden. The styles that
// keep them on screen are inline so they hold even if a stylesheet fails to load or is overridden.
// They are drawn at the end of the page's body at the highest z-index, so nothing of the portal can
// stack above them; useMarksGuard.ts watches that they stay visible.
import { useEffect, useId, useLayoutEffect, useRef, useState, type CSSProperties } from 'react';
import { createPortal } from 'react-dom';
import { MARK_Z } from './markChecks.ts';
import { useMarksGuard, type TamperIncident } from './useMarksGuard.ts';
import { formatTime } from '../format.ts';
import { scopeSummary } from '../staffViewScope.ts';
import { Countdown } from './Countdown.tsx';
import { StaffViewAnnouncer } from './StaffViewAnnouncer.tsx';

/** Above anything the portal can draw (its dialogs use 1000); dark amber on amber. */
export const bannerStyle: CSSProperties = {
  position: 'fixed',
  top: 0,
  left: 0,
  right: 0,
  zIndex: MARK_Z.BANNER,
  backgroundColor: '#fbbf24',
  color: '#78350f',
};
export const borderStyle: CSSProperties = {
  position: 'fixed',
  inset: 0,
  border: '3px solid #f59e0b',
  pointerEvents: 'none',
  zIndex: MARK_Z.BORDER,
};

/** Faint by its own fill: the element itself stays opaque, so a lowered opacity shows as tampering. */
const WATERMARK_TILE =
  "data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='360' height='240'>" +
  "<text x='50%' y='50%' text-anchor='middle' dominant-baseline='middle' transform='rotate(-30 180 120)' " +
  "font-family='Arial, sans-serif' font-size='34' font-weight='700' letter-spacing='6' fill='%23b45309' fill-opacity='0.07'>STAFF VIEW</text></svg>";

export const watermarkStyle: CSSProperties = {
  position: 'fixed',
  inset: 0,
  pointerEvents: 'none',
  zIndex: MARK_Z.WATERMARK,
  backgroundImage: `url("${WATERMARK_TILE}")`,
  backgroundRepeat: 'repeat',
};

export interface StaffBannerProps {
  sessionId: string;
  customerName: string | null;
  staffName: string | null;
  reason: string | null;
  /** The view's scope (portal sections, or WHOLE_PORTAL); null while it loads. */
  scope?: readonly string[] | null;
  /** The case/ticket id the start named (staff only: the customer never sees this banner). */
  ticket?: string | null;
  startedAt: string | null;
  expiresAt: string | null;
  /** Server clock minus local clock, in ms. */
  clockOffsetMs: number;
  /** The server's word on whether Extend is allowed now. */
  canExtend: boolean;
  extending: boolean;
  ending: boolean;
  /** A refused Extend or End, or a lost live feed. */
  problem: string | null;
  /** What one extension adds, in minutes (the server's policy). */
  extensionMinutes: number | null;
  onExtend(): void;
  onEnd(): void;
  onExpire(): void;
  /** An incident starts: marks were found hidden (they are rebuilt where that helps). */
  onTamper(incident: TamperIncident): void;
  /** The marks are hidden (the portal must not show), or visible again. */
  onMarksHidden?(hidden: boolean): void;
}

export function StaffBanner(props: StaffBannerProps) {
  const { sessionId, customerName, staffName, reason, startedAt, expiresAt } = props;
  return (
    <div
      className="staff-banner"
      role="region"
      aria-label="Staff view"
      tabIndex={-1}
      data-testid="staff-banner"
      style={bannerStyle}
    >
      <div className="staff-banner__info">
        <span className="staff-banner__badge">Staff view</span>
        <span className="staff-banner__who">
          Viewing as <strong>{customerName ?? '…'}</strong>
        </span>
        <span className="staff-banner__readonly" data-testid="staff-banner-readonly">
          Read-only
        </span>
        {startedAt && (
          <span className="staff-banner__started">
            Started {formatTime(startedAt)}
            {staffName ? ` by ${staffName}` : ''}
          </span>
        )}
        {props.scope && props.scope.length > 0 && (
          <span className="staff-banner__scope" data-testid="staff-banner-scope">
            {scopeSummary(props.scope)}
          </span>
        )}
        {props.ticket && (
          <span className="staff-banner__ticket" data-testid="staff-banner-ticket">
            Ticket {props.ticket}
          </span>
        )}
        {reason && <BannerReason reason={reason} />}
      </div>
      <div className="staff-banner__actions">
        <span className="staff-banner__time">
          {expiresAt ? (
            <Countdown expiresAt={expiresAt} clockOffsetMs={props.clockOffsetMs} onExpire={props.onExpire} />
          ) : (
            '–:––'
          )}
          <span className="staff-banner__time-label"> left</span>
        </span>
        {props.canExtend && (
          <button
            type="button"
            className="banner-button"
            data-testid="extend-session"
            onClick={props.onExtend}
            disabled={props.extending}
          >
            {props.extending
              ? 'Extending…'
              : props.extensionMinutes
                ? `Extend +${props.extensionMinutes} min (once)`
                : 'Extend (once)'}
          </button>
        )}
        <button
          type="button"
          className="banner-button banner-button--strong"
          data-testid="end-session"
          onClick={props.onEnd}
          disabled={props.ending}
        >
          {props.ending ? 'Ending…' : 'End session'}
        </button>
        <a
          className="banner-button"
          data-testid="open-audit"
          href={`/admin/audit?sessionId=${encodeURIComponent(sessionId)}`}
          target="_blank"
          rel="noopener noreferrer"
        >
          Audit<span className="visually-hidden"> (opens in a new tab)</span>
        </a>
      </div>
      {props.problem && (
        <p className="staff-banner__problem" role="alert">
          {props.problem}
        </p>
      )}
    </div>
  );
}

/**
 * Banner, border and watermark. The banner's height is published as --staff-banner-height so the
 * page below starts under it at every width.
 */
export function StaffChrome(props: StaffBannerProps) {
  const holder = useRef<HTMLDivElement>(null);
  const { generation, hidden } = useMarksGuard(holder, props.onTamper);
  const { onMarksHidden } = props;
  useEffect(() => onMarksHidden?.(hidden), [hidden, onMarksHidden]);
  useTabTitle(props.customerName);
  useEffect(() => {
    const banner = holder.current?.querySelector<HTMLElement>('[data-testid="staff-banner"]');
    const root = document.documentElement;
    if (!banner || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() =>
      root.style.setProperty('--staff-banner-height', `${banner.offsetHeight}px`),
    );
    observer.observe(banner);
    return () => {
      observer.disconnect();
      root.style.removeProperty('--staff-banner-height');
    };
  }, [generation]);
  return createPortal(
    <div ref={holder} key={generation} className="staff-marks">
      <StaffBanner {...props} />
      <div className="staff-border" data-testid="staff-border" aria-hidden="true" style={borderStyle} />
      <div className="staff-watermark" data-testid="staff-watermark" aria-hidden="true" style={watermarkStyle} />
      <StaffViewAnnouncer
        customerName={props.customerName}
        expiresAt={props.expiresAt}
        clockOffsetMs={props.clockOffsetMs}
      />
    </div>,
    document.body,
  );
}

/**
 * The reason on one line, cut with an ellipsis where it does not fit; then "More" shows all of it
 * (and "Less" folds it again).
 */
function BannerReason({ reason }: { reason: string }) {
  const text = useRef<HTMLSpanElement>(null);
  const [open, setOpen] = useState(false);
  const [cut, setCut] = useState(false);
  const id = useId();
  useLayoutEffect(() => {
    const element = text.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const measure = () => setCut(element.scrollWidth > element.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [reason]);
  return (
    <span className={open ? 'staff-banner__reason-line staff-banner__reason-line--open' : 'staff-banner__reason-line'}>
      <span className="staff-banner__reason" id={id} ref={text} title={reason} data-testid="staff-banner-reason">
        Reason: {reason}
      </span>
      {(cut || open) && (
        <button
          type="button"
          className="staff-banner__more"
          aria-expanded={open}
          aria-controls={id}
          onClick={() => setOpen(!open)}
        >
          {open ? 'Less' : 'More'}
          <span className="visually-hidden"> of the reason</span>
        </button>
      )}
    </span>
  );
}

/** While a staff view is open the tab says so: "Staff view - Chloe Martin". */
function useTabTitle(customerName: string | null) {
  useEffect(() => {
    const previous = document.title;
    document.title = `Staff view - ${customerName ?? '…'}`;
    return () => {
      document.title = previous;
    };
  }, [customerName]);
}
