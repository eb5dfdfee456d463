// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { offsetFromRemaining, offsetFromServerTime, secondsLeft } from './clock.ts';
import { Countdown } from './Countdown.tsx';

const NOW = Date.parse('2026-11-24T14:00:00.000Z');
const inSeconds = (s: number) => new Date(NOW + s * 1000).toISOString();

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const countdown = () => screen.getByTestId('countdown');

describe('Countdown', () => {
  it('shows the time left as minutes and seconds', () => {
    render(<Countdown expiresAt={inSeconds(29 * 60 + 41)} />);
    expect(countdown().textContent).toBe('29:41');
    expect(countdown().getAttribute('role')).toBe('timer');
    expect(countdown().getAttribute('aria-label')).toBe('29 minutes 41 seconds left');
  });

  it('ticks down as time passes', () => {
    render(<Countdown expiresAt={inSeconds(10 * 60)} />);
    act(() => vi.advanceTimersByTime(3_000));
    expect(countdown().textContent).toBe('9:57');
  });

  it('reads the server clock through the offset, not the local clock', () => {
    // The server is 90 s ahead of this machine: 90 s less remain than the local clock suggests.
    render(<Countdown expiresAt={inSeconds(10 * 60)} clockOffsetMs={90_000} />);
    expect(countdown().textContent).toBe('8:30');
  });

  it('is calm from five minutes up', () => {
    render(<Countdown expiresAt={inSeconds(5 * 60)} />);
    expect(countdown().dataset.urgent).toBe('false');
    expect(countdown().className).not.toContain('countdown--urgent');
  });

  it('turns red and pulses under five minutes', () => {
    render(<Countdown expiresAt={inSeconds(5 * 60 + 2)} />);
    expect(countdown().dataset.urgent).toBe('false');
    act(() => vi.advanceTimersByTime(3_000));
    expect(countdown().textContent).toBe('4:59');
    expect(countdown().dataset.urgent).toBe('true');
    expect(countdown().className).toContain('countdown--urgent');
  });

  it('stops at 0:00 and reports the expiry once', () => {
    const onExpire = vi.fn();
    render(<Countdown expiresAt={inSeconds(2)} onExpire={onExpire} />);
    act(() => vi.advanceTimersByTime(10_000));
    expect(countdown().textContent).toBe('0:00');
    expect(onExpire).toHaveBeenCalledTimes(1);
  });
});

describe('clock offsets', () => {
  it('takes the offset from a pushed server time', () => {
    expect(offsetFromServerTime('2026-11-24T14:00:05.000Z', NOW)).toBe(5_000);
  });

  it('estimates the offset from remainingSeconds within half a second', () => {
    const serverNow = NOW + 42_300;
    const expiresAt = new Date(serverNow + 600_700).toISOString();
    const remaining = Math.ceil(600_700 / 1000);
    const offset = offsetFromRemaining(expiresAt, remaining, NOW);
    expect(Math.abs(offset - 42_300)).toBeLessThanOrEqual(500);
  });

  it('never counts below zero', () => {
    expect(secondsLeft(inSeconds(-30), 0, NOW)).toBe(0);
  });
});
