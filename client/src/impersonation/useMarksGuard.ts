// Keeps the staff view's marks (banner, border, watermark) on screen, as far as a page can: every
// CHECK_EVERY_MS and on any change of the page (a MutationObserver, at most every
// MIN_CHECK_GAP_MS) it asks markChecks.ts whether each mark is really visible and on top. While one
// is not, the portal is blurred (`hidden`), the marks are rebuilt from scratch (a fresh React key,
// at most every REMOUNT_EVERY_MS) and put back at the end of the page; the server is told once per
// incident (its start), and the incident is over once every mark shows again. The blur lifts
// BLUR_HOLD_MS later, so a mark hidden and put back at once still shows. A cue for honest staff,
// not a security boundary: whoever controls the browser can stop this script too.
import { useEffect, useRef, useState } from 'react';
import { findMarkProblems, type Mark, type TamperSign } from './markChecks.ts';

export { MARKS, type Mark, type TamperSign } from './markChecks.ts';

/** One incident as the server records it: which marks were hidden, and how. */
export interface TamperIncident {
  marks: Mark[];
  how: TamperSign[];
}

const CHECK_EVERY_MS = 500;
const MIN_CHECK_GAP_MS = 100;
const REMOUNT_EVERY_MS = 1000;
const BLUR_HOLD_MS = 1500;

/** The incident's marks and signs, each once. */
function incidentOf(problems: ReturnType<typeof findMarkProblems>): TamperIncident {
  const how = new Set<TamperSign>();
  for (const signs of problems.values()) for (const sign of signs) how.add(sign);
  return { marks: [...problems.keys()], how: [...how] };
}

/**
 * Watches the marks inside `holder` (a child of the page's body). Returns a generation number, to
 * use as the marks' React key so a tampered mark is rebuilt, and whether they are hidden now.
 */
export function useMarksGuard(
  holder: React.RefObject<HTMLElement | null>,
  onIncident: (incident: TamperIncident) => void,
): { generation: number; hidden: boolean } {
  const [generation, setGeneration] = useState(0);
  const [hidden, setHidden] = useState(false);
  const onIncidentRef = useRef(onIncident);
  useEffect(() => {
    onIncidentRef.current = onIncident;
  });
  useEffect(() => {
    let open = false;
    let lastCheck = 0;
    let lastRemount = 0;
    let scheduled: ReturnType<typeof setTimeout> | undefined;
    let release: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      scheduled = undefined;
      lastCheck = Date.now();
      const root = holder.current;
      const problems = findMarkProblems(root);
      // What was put after the marks is below them again (and was reported if it covered them).
      if (root?.parentElement === document.body && root.nextElementSibling) document.body.appendChild(root);
      if (problems.size === 0) {
        if (open) release = setTimeout(() => setHidden(false), BLUR_HOLD_MS);
        open = false;
        return;
      }
      clearTimeout(release);
      setHidden(true);
      if (!open) onIncidentRef.current(incidentOf(problems));
      open = true;
      if (lastCheck - lastRemount >= REMOUNT_EVERY_MS) {
        lastRemount = lastCheck;
        setGeneration((value) => value + 1);
      }
    };
    const soon = () => {
      if (scheduled === undefined)
        scheduled = setTimeout(check, Math.max(0, lastCheck + MIN_CHECK_GAP_MS - Date.now()));
    };
    const observer = new MutationObserver(soon);
    observer.observe(document.documentElement, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['style', 'class', 'hidden', 'popover', 'open', 'media', 'disabled'],
    });
    const timer = setInterval(check, CHECK_EVERY_MS);
    return () => {
      observer.disconnect();
      clearInterval(timer);
      clearTimeout(scheduled);
      clearTimeout(release);
    };
  }, [holder]);
  return { generation, hidden };
}
