// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { layOutMarks } from '../testing/markLayout.ts';
import { StaffChrome, type StaffBannerProps } from './StaffChrome.tsx';

function injectStyle(css: string): HTMLStyleElement {
  const style = document.createElement('style');
  style.dataset.tamper = '';
  style.textContent = css;
  document.head.append(style);
  return style;
}

/** A white box over the banner, added last to the page at the highest z-index. */
function overlay(): HTMLElement {
  const box = document.createElement('div');
  Object.assign(box.style, {
    position: 'fixed',
    top: '0',
    left: '0',
    right: '0',
    height: '80px',
    background: 'white',
    zIndex: '2147483647',
  });
  return box;
}

const NOW = Date.parse('2026-11-24T14:00:00.000Z');

function props(overrides: Partial<StaffBannerProps> = {}): StaffBannerProps {
  return {
    sessionId: 'imp-1',
    customerName: 'Chloe Martin',
    staffName: 'Mara Quinn',
    reason: 'Customer called about invoice INV-1010',
    startedAt: new Date(NOW - 60_000).toISOString(),
    expiresAt: new Date(NOW + 29 * 60_000).toISOString(),
    clockOffsetMs: 0,
    canExtend: false,
    extending: false,
    ending: false,
    problem: null,
    onExtend: vi.fn(),
    onEnd: vi.fn(),
    onExpire: vi.fn(),
    onTamper: vi.fn(),
    extensionMinutes: 30,
    ...overrides,
  };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('staff banner', () => {
  it('says whose portal this is, why, since when, and how long is left', () => {
    render(<StaffChrome {...props()} />);
    const banner = screen.getByTestId('staff-banner');
    expect(banner.textContent).toContain('Staff view');
    expect(banner.textContent).toContain('Viewing as Chloe Martin');
    expect(banner.textContent).toContain('Reason: Customer called about invoice INV-1010');
    expect(banner.textContent).toMatch(/Started .+ by Mara Quinn/);
    expect(within(banner).getByTestId('countdown').textContent).toBe('29:00');
  });

  it('names the view’s scope: its sections as the portal names them, or the whole portal', () => {
    render(<StaffChrome {...props({ scope: ['MESSAGES', 'BILLING'] })} />);
    expect(screen.getByTestId('staff-banner-scope').textContent).toBe('Sections: Billing, Messages');
    cleanup();
    render(<StaffChrome {...props({ scope: ['WHOLE_PORTAL'] })} />);
    expect(screen.getByTestId('staff-banner-scope').textContent).toBe('Whole portal');
  });

  it('is fixed on top of everything', () => {
    render(<StaffChrome {...props()} />);
    const banner = screen.getByTestId('staff-banner');
    expect(banner.style.position).toBe('fixed');
    expect(banner.style.top).toBe('0px');
    expect(Number(banner.style.zIndex)).toBeGreaterThanOrEqual(2147483000);
  });

  it('draws a 3px amber border and a watermark that never takes clicks', () => {
    render(<StaffChrome {...props()} />);
    const border = screen.getByTestId('staff-border');
    expect(border.style.position).toBe('fixed');
    expect(border.style.borderWidth).toBe('3px');
    expect(border.style.borderColor).toBe('rgb(245, 158, 11)');
    expect(border.style.pointerEvents).toBe('none');
    const watermark = screen.getByTestId('staff-watermark');
    expect(watermark.style.position).toBe('fixed');
    expect(watermark.style.pointerEvents).toBe('none');
    expect(watermark.style.backgroundImage).toContain('STAFF VIEW');
    expect(watermark.getAttribute('aria-hidden')).toBe('true');
  });

  it('has no control that closes or hides it', () => {
    render(<StaffChrome {...props({ canExtend: true })} />);
    const labels = [...screen.getByTestId('staff-banner').querySelectorAll('button, a')].map((el) =>
      el.textContent?.trim(),
    );
    expect(labels).toEqual(['Extend +30 min (once)', 'End session', 'Audit (opens in a new tab)']);
  });

  it('offers Extend only when the server allows it', () => {
    const { rerender } = render(<StaffChrome {...props({ canExtend: false })} />);
    expect(screen.queryByTestId('extend-session')).toBeNull();
    const onExtend = vi.fn();
    rerender(<StaffChrome {...props({ canExtend: true, onExtend })} />);
    fireEvent.click(screen.getByTestId('extend-session'));
    expect(onExtend).toHaveBeenCalledTimes(1);
  });

  it('ends the session on End session', () => {
    const onEnd = vi.fn();
    render(<StaffChrome {...props({ onEnd })} />);
    fireEvent.click(screen.getByTestId('end-session'));
    expect(onEnd).toHaveBeenCalledTimes(1);
  });

  it('links Audit to this session’s timeline in a separate tab', () => {
    render(<StaffChrome {...props()} />);
    const audit = screen.getByTestId('open-audit');
    expect(audit.getAttribute('href')).toBe('/admin/audit?sessionId=imp-1');
    expect(audit.getAttribute('target')).toBe('_blank');
    expect(audit.getAttribute('rel')).toContain('noopener');
  });

  it('turns the countdown red under five minutes', () => {
    render(<StaffChrome {...props({ expiresAt: new Date(NOW + 4 * 60_000).toISOString() })} />);
    expect(screen.getByTestId('countdown').dataset.urgent).toBe('true');
  });

  it('shows a refused Extend or End as an alert', () => {
    render(<StaffChrome {...props({ problem: 'Could not extend: The session was already extended once' })} />);
    expect(screen.getByRole('alert').textContent).toBe('Could not extend: The session was already extended once');
  });
});

describe('marks that cannot be removed', () => {
  let restoreLayout: () => void;
  beforeEach(() => {
    restoreLayout = layOutMarks();
  });
  afterEach(() => {
    restoreLayout();
    document.head.querySelectorAll('style[data-tamper]').forEach((style) => style.remove());
  });

  const mark = (testId: string) => screen.getByTestId(testId);
  /** What someone could do from the developer tools, and what the watchdog calls it. */
  const techniques: [string, () => void, string, string][] = [
    ['removing the banner', () => mark('staff-banner').remove(), 'BANNER', 'REMOVED'],
    [
      'display: none',
      () => mark('staff-banner').style.setProperty('display', 'none', 'important'),
      'BANNER',
      'DISPLAY',
    ],
    [
      'a visibility: hidden stylesheet',
      () => injectStyle('[data-testid="staff-banner"] { visibility: hidden !important }'),
      'BANNER',
      'VISIBILITY',
    ],
    [
      'moving the banner off screen',
      () => void (mark('staff-banner').style.transform = 'translateY(-500px)'),
      'BANNER',
      'TRANSFORM',
    ],
    ['opacity 0.06', () => void (mark('staff-banner').style.opacity = '0.06'), 'BANNER', 'OPACITY'],
    ['an overlay on top', () => document.body.append(overlay()), 'BANNER', 'COVERED'],
    ['clip-path', () => void (mark('staff-banner').style.clipPath = 'inset(0 0 100% 0)'), 'BANNER', 'CLIP'],
    ['a transparent border', () => void (mark('staff-border').style.borderColor = 'transparent'), 'BORDER', 'COLOR'],
    [
      'removing the watermark image',
      () => void (mark('staff-watermark').style.backgroundImage = 'none'),
      'WATERMARK',
      'IMAGE',
    ],
  ];

  it.each(techniques)(
    'notices %s at once, reports it once and hides the portal',
    async (_name, tamper, which, sign) => {
      const onTamper = vi.fn();
      const onMarksHidden = vi.fn();
      render(<StaffChrome {...props({ onTamper, onMarksHidden })} />);
      await vi.advanceTimersByTimeAsync(600);
      expect(onMarksHidden).toHaveBeenLastCalledWith(false);
      tamper();
      await vi.advanceTimersByTimeAsync(600);
      expect(onTamper).toHaveBeenCalledTimes(1);
      const [{ marks, how }] = onTamper.mock.calls[0]!;
      expect(marks).toContain(which);
      expect(how).toContain(sign);
      expect(onMarksHidden).toHaveBeenLastCalledWith(true);
    },
  );

  it('rebuilds a mark changed on the element itself, and shows the portal again after a moment', async () => {
    const onTamper = vi.fn();
    const onMarksHidden = vi.fn();
    render(<StaffChrome {...props({ onTamper, onMarksHidden })} />);
    screen.getByTestId('staff-banner').remove();
    mark('staff-watermark').style.display = 'none';
    await vi.advanceTimersByTimeAsync(600);
    expect(onTamper).toHaveBeenCalledTimes(1);
    expect(onTamper.mock.calls[0]![0]).toEqual({ marks: ['BANNER', 'WATERMARK'], how: ['REMOVED', 'DISPLAY'] });
    expect(mark('staff-banner').isConnected).toBe(true);
    expect(mark('staff-watermark').style.display).not.toBe('none');
    await vi.advanceTimersByTimeAsync(2000);
    expect(onMarksHidden).toHaveBeenLastCalledWith(false);
    expect(onTamper).toHaveBeenCalledTimes(1);
  });

  it('reports a hiding that lasts once, and a new one after it cleared again', async () => {
    const onTamper = vi.fn();
    render(<StaffChrome {...props({ onTamper })} />);
    const style = injectStyle('[data-testid="staff-border"] { opacity: 0 }');
    await vi.advanceTimersByTimeAsync(5000);
    expect(onTamper).toHaveBeenCalledTimes(1);
    style.remove();
    await vi.advanceTimersByTimeAsync(1000);
    injectStyle('[data-testid="staff-border"] { opacity: 0 }');
    await vi.advanceTimersByTimeAsync(1000);
    expect(onTamper).toHaveBeenCalledTimes(2);
    expect(onTamper.mock.calls[1]![0]).toEqual({ marks: ['BORDER'], how: ['OPACITY'] });
  });

  it('puts the marks back above what was placed after them in the page', async () => {
    render(<StaffChrome {...props()} />);
    const late = document.createElement('div');
    document.body.append(late);
    await vi.advanceTimersByTimeAsync(600);
    expect(document.body.lastElementChild).toBe(mark('staff-banner').parentElement);
    late.remove();
  });

  it('reports nothing while the marks stay (unauthorized to accuse)', async () => {
    const onTamper = vi.fn();
    const onMarksHidden = vi.fn();
    render(<StaffChrome {...props({ onTamper, onMarksHidden })} />);
    await vi.advanceTimersByTimeAsync(3000);
    expect(onTamper).not.toHaveBeenCalled();
    expect(onMarksHidden).not.toHaveBeenCalledWith(true);
  });

  it('names the staff view in the tab title', () => {
    render(<StaffChrome {...props()} />);
    expect(document.title).toBe('Staff view - Chloe Martin');
  });

  it('announces the start and the last five minutes politely, and only the last minute assertively', () => {
    const { rerender } = render(<StaffChrome {...props({ expiresAt: new Date(NOW + 20 * 60_000).toISOString() })} />);
    const polite = screen.getByTestId('staff-announcer');
    const assertive = screen.getByTestId('staff-alert');
    expect(polite.getAttribute('aria-live')).toBe('polite');
    expect(assertive.getAttribute('aria-live')).toBe('assertive');
    expect(polite.textContent).toBe('Staff view started: viewing as Chloe Martin, read-only');
    expect(assertive.textContent).toBe('');
    rerender(<StaffChrome {...props({ expiresAt: new Date(NOW + 4 * 60_000).toISOString() })} />);
    expect(polite.textContent).toBe('Five minutes left in this staff view');
    expect(assertive.textContent).toBe('');
    rerender(<StaffChrome {...props({ expiresAt: new Date(NOW + 50_000).toISOString() })} />);
    expect(assertive.textContent).toBe('One minute left in this staff view');
  });

  it('announces an extension politely with the minutes it left, not the start again', () => {
    const { rerender } = render(<StaffChrome {...props({ expiresAt: new Date(NOW + 4 * 60_000).toISOString() })} />);
    rerender(<StaffChrome {...props({ expiresAt: new Date(NOW + 35 * 60_000).toISOString() })} />);
    expect(screen.getByTestId('staff-announcer').textContent).toBe('Extended, 35 minutes left');
    expect(screen.getByTestId('staff-alert').textContent).toBe('');
  });
});
