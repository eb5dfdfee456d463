// A live countdown to a server-side expiry, corrected by the server's clock. Red and pulsing
// under five minutes; never below 0:00.
import { useEffect, useRef, useState } from 'react';
import { formatCountdown, secondsLeft, spokenDuration, URGENT_BELOW_SECONDS } from './clock.ts';

/** The current time, refreshed every `intervalMs`; fine-grained enough that a display never lags a second. */
export function useNow(intervalMs = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export interface CountdownProps {
  expiresAt: string;
  /** Server clock minus local clock, in ms. */
  clockOffsetMs?: number;
  urgentBelowSeconds?: number;
  /** Called once when it reaches 0:00. */
  onExpire?: () => void;
  testId?: string;
}

export function Countdown({
  expiresAt,
  clockOffsetMs = 0,
  urgentBelowSeconds = URGENT_BELOW_SECONDS,
  onExpire,
  testId = 'countdown',
}: CountdownProps) {
  const seconds = secondsLeft(expiresAt, clockOffsetMs, useNow());
  const urgent = seconds < urgentBelowSeconds;
  const expired = seconds === 0;

  // Fires on reaching zero, not on every new callback identity.
  const onExpireRef = useRef(onExpire);
  useEffect(() => {
    onExpireRef.current = onExpire;
  });
  useEffect(() => {
    if (expired) onExpireRef.current?.();
  }, [expired]);

  return (
    <span
      role="timer"
      className={`countdown${urgent ? ' countdown--urgent' : ''}`}
      data-testid={testId}
      data-urgent={urgent ? 'true' : 'false'}
      data-seconds={seconds}
      aria-label={`${spokenDuration(seconds)} left`}
    >
      {formatCountdown(seconds)}
    </span>
  );
}
