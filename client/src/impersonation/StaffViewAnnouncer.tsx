// What a screen reader hears of a staff view's time, in two live regions. Politely (after what it is
// reading): the start, the 5-minute mark, and an extension with the minutes it left ("Extended, 35
// minutes left"). Assertively (at once) only the last minute; a forced end is announced by the
// ended notice in the admin app (StaffViewEnded.tsx). Each text changes only at its moment, so a
// region never repeats itself every second.
import { useEffect, useRef, useState } from 'react';
import { secondsLeft } from './clock.ts';
import { useNow } from './Countdown.tsx';

/** "Extended, 35 minutes left" (rounded to whole minutes; "1 minute"). */
export function extendedText(seconds: number): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  return `Extended, ${minutes} minute${minutes === 1 ? '' : 's'} left`;
}

/** The polite and the assertive text for `seconds` left (null: not known yet). */
export function announcements(
  seconds: number | null,
  customerName: string | null,
  extended: string | null,
): { polite: string; assertive: string } {
  if (seconds === null) return { polite: '', assertive: '' };
  const polite =
    seconds <= 300
      ? 'Five minutes left in this staff view'
      : (extended ?? `Staff view started: viewing as ${customerName ?? 'a customer'}, read-only`);
  return { polite, assertive: seconds <= 60 ? 'One minute left in this staff view' : '' };
}

export function StaffViewAnnouncer(props: {
  customerName: string | null;
  expiresAt: string | null;
  clockOffsetMs: number;
}) {
  const now = useNow(1000);
  const seconds = props.expiresAt ? secondsLeft(props.expiresAt, props.clockOffsetMs, now) : null;
  // A later expiry than the one seen before is an extension: its text is fixed when it arrives.
  const [extended, setExtended] = useState<string | null>(null);
  const seenExpiry = useRef(props.expiresAt);
  useEffect(() => {
    const previous = seenExpiry.current;
    seenExpiry.current = props.expiresAt;
    if (previous && props.expiresAt && Date.parse(props.expiresAt) > Date.parse(previous))
      setExtended(extendedText(secondsLeft(props.expiresAt, props.clockOffsetMs, Date.now())));
  }, [props.expiresAt, props.clockOffsetMs]);
  const { polite, assertive } = announcements(seconds, props.customerName, extended);
  return (
    <>
      <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="staff-announcer">
        {polite}
      </div>
      <div className="visually-hidden" aria-live="assertive" aria-atomic="true" data-testid="staff-alert">
        {assertive}
      </div>
    </>
  );
}
