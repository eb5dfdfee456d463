// Keeps the staff view's marks (banner, border, watermark) on screen: a MutationObserver and a
// periodic check of computed styles notice a mark removed or hidden from the browser's developer
// tools; the marks are then remounted (a fresh key) and the server is told, so the audit records it.
// Reports of one mark are sent at most once per REPORT_EVERY_MS (the server rate-limits them too).
import { useEffect, useRef, useState } from 'react';

/** The marks, by their data-testid. */
export const MARKS = { BANNER: 'staff-banner', BORDER: 'staff-border', WATERMARK: 'staff-watermark' } as const;
/** A mark's name, as the server knows it. */
export type Mark = keyof typeof MARKS;

const CHECK_EVERY_MS = 1000;
const REPORT_EVERY_MS = 10_000;

/** Why a mark is not visible, or null when it is. */
export function markProblem(element: HTMLElement | null): string | null {
  if (!element || !element.isConnected) return 'removed';
  const style = getComputedStyle(element);
  if (style.display === 'none') return 'display: none';
  if (style.visibility === 'hidden' || style.visibility === 'collapse') return `visibility: ${style.visibility}`;
  if (Number(style.opacity) < 0.05) return `opacity: ${style.opacity}`;
  return null;
}

/**
 * Watches the marks inside `holder`. Returns a generation number: use it as the marks' React key,
 * so a tampered mark is rebuilt from scratch.
 */
export function useMarksGuard(
  holder: React.RefObject<HTMLElement | null>,
  report: (mark: Mark, how: string) => void,
): number {
  const [generation, setGeneration] = useState(0);
  const reportRef = useRef(report);
  useEffect(() => {
    reportRef.current = report;
  });
  useEffect(() => {
    const lastReport = new Map<Mark, number>();
    const check = () => {
      const root = holder.current;
      let tampered = false;
      for (const [mark, testId] of Object.entries(MARKS) as [Mark, string][]) {
        const problem = markProblem(root?.querySelector<HTMLElement>(`[data-testid="${testId}"]`) ?? null);
        if (!problem) continue;
        tampered = true;
        const now = Date.now();
        if ((lastReport.get(mark) ?? 0) + REPORT_EVERY_MS <= now) {
          lastReport.set(mark, now);
          reportRef.current(mark, problem);
        }
      }
      if (tampered) setGeneration((value) => value + 1);
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['style', 'class', 'hidden'],
    });
    const timer = setInterval(check, CHECK_EVERY_MS);
    return () => {
      observer.disconnect();
      clearInterval(timer);
    };
  }, [holder]);
  return generation;
}
