// Countdown arithmetic. The client's clock may be off; every countdown reads the server's clock
// through an offset (server time minus local time) taken when a server time was last seen.

/** Under this many seconds the countdown turns red and pulses. */
export const URGENT_BELOW_SECONDS = 5 * 60;

export function offsetFromServerTime(serverTime: string, receivedAtMs: number): number {
  return Date.parse(serverTime) - receivedAtMs;
}

/**
 * For results that carry remainingSeconds but no server time (the admin list): remainingSeconds is
 * rounded up, so the server's clock was within the second before expiresAt - remaining; take the
 * middle of it.
 */
export function offsetFromRemaining(expiresAt: string, remainingSeconds: number, receivedAtMs: number): number {
  if (remainingSeconds <= 0) return 0;
  return Date.parse(expiresAt) - remainingSeconds * 1000 + 500 - receivedAtMs;
}

export function secondsLeft(expiresAt: string, offsetMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((Date.parse(expiresAt) - (nowMs + offsetMs)) / 1000));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** 29:41, or 1:00:00 from an hour up. */
export function formatCountdown(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

export function spokenDuration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  const part = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  return m > 0 ? `${part(m, 'minute')} ${part(s, 'second')}` : part(s, 'second');
}
