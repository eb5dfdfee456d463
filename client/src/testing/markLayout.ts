// jsdom lays nothing out: every box is 0×0 and there is no hit-testing. The staff view's watchdog
// (impersonation/markChecks.ts) reads both, so component tests give the marks the boxes a browser
// draws at 1024×768: the banner across the top (its parts inside it), the border and the watermark
// over the whole viewport, and hit-testing that finds the banner in its strip. A box moved by an
// inline `transform: translate…(…px)` moves here too. Computed styles are jsdom's own.

const WIDTH = 1024;
const HEIGHT = 768;
const BANNER_HEIGHT = 52;

const rect = (left: number, top: number, width: number, height: number): DOMRect =>
  ({ left, top, width, height, x: left, y: top, right: left + width, bottom: top + height }) as DOMRect;

/** The box a browser would give this element (0×0 for everything but the marks). */
function boxOf(element: Element): DOMRect {
  const html = element as HTMLElement;
  const shift = /translate[XY]?\((-?\d+)px\)/.exec(html.style?.transform ?? '');
  const dy = shift ? Number(shift[1]) : 0;
  const testId = html.dataset?.testid;
  if (testId === 'staff-banner') return rect(0, dy, WIDTH, BANNER_HEIGHT);
  if (testId === 'staff-border' || testId === 'staff-watermark') return rect(0, dy, WIDTH, HEIGHT);
  if (html.closest?.('[data-testid="staff-banner"]')) return rect(20, 16 + dy, 120, 20);
  return rect(0, 0, 0, 0);
}

/** Lays the marks out until the returned function is called. */
export function layOutMarks(): () => void {
  const prototype = Element.prototype;
  const saved = {
    box: Object.getOwnPropertyDescriptor(prototype, 'getBoundingClientRect'),
    rects: Object.getOwnPropertyDescriptor(prototype, 'getClientRects'),
    hit: Object.getOwnPropertyDescriptor(document, 'elementFromPoint'),
  };
  prototype.getBoundingClientRect = function getBoundingClientRect(this: Element) {
    return boxOf(this);
  };
  prototype.getClientRects = function getClientRects(this: Element) {
    const hidden = getComputedStyle(this).display === 'none' || !this.isConnected;
    return (hidden ? [] : [boxOf(this)]) as unknown as DOMRectList;
  };
  document.elementFromPoint = (_x: number, y: number) =>
    y >= 0 && y < BANNER_HEIGHT ? document.querySelector('[data-testid="staff-banner"]') : document.body;
  return () => {
    if (saved.box) Object.defineProperty(prototype, 'getBoundingClientRect', saved.box);
    if (saved.rects) Object.defineProperty(prototype, 'getClientRects', saved.rects);
    if (saved.hit) Object.defineProperty(document, 'elementFromPoint', saved.hit);
    else delete (document as { elementFromPoint?: unknown }).elementFromPoint;
  };
}
