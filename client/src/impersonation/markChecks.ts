// Is each mark of a staff view (banner, border, watermark) really on screen? Read from what the
// browser draws, not from the page's markup: the element is there, its computed style and its
// ancestors' leave it visible (display, visibility, opacity, filter, clip-path, mask, transform,
// colours, the watermark's image), its box is on screen and of its size, nothing stacks above it,
// and hit-testing the banner's points finds the banner. The answer is a set of signs per mark, the
// codes the server records (StaffViewTamperSign). useMarksGuard.ts runs it; it stays cheap: a few
// computed styles, five hit tests, no walk of the page.

/** The marks, by their data-testid. */
export const MARKS = { BANNER: 'staff-banner', BORDER: 'staff-border', WATERMARK: 'staff-watermark' } as const;
/** A mark's name, as the server knows it. */
export type Mark = keyof typeof MARKS;
/** How a mark was found hidden (the server's StaffViewTamperSign). */
export type TamperSign =
  | 'REMOVED'
  | 'DISPLAY'
  | 'VISIBILITY'
  | 'OPACITY'
  | 'FILTER'
  | 'CLIP'
  | 'TRANSFORM'
  | 'OFF_SCREEN'
  | 'SIZE'
  | 'COLOR'
  | 'IMAGE'
  | 'STACKING'
  | 'COVERED';
/** What was found: the signs of each mark found hidden (none: all visible). */
export type MarkProblems = Map<Mark, Set<TamperSign>>;

/** The highest z-index there is; the marks stand at it and just below. */
export const TOP = 2147483647;
export const MARK_Z: Record<Mark, number> = { BANNER: TOP, BORDER: TOP - 1, WATERMARK: TOP - 2 };
/** The banner's parts that must show: its badge and whose portal this is. */
const BANNER_PARTS = ['.staff-banner__badge', '.staff-banner__who'];
const MIN_OPACITY = 0.9;
const MIN_CONTRAST = 3;

const none = (value: string | undefined) => !value || value === 'none' || value === 'normal' || value === 'auto';
const identity = (transform: string) => none(transform) || transform === 'matrix(1, 0, 0, 1, 0, 0)';

/** A computed colour's alpha: rgb(), rgba(), any `/ alpha` form, `transparent`. */
export function alphaOf(color: string): number {
  if (!color || color === 'transparent') return color ? 0 : 1;
  const slash = /\/\s*([\d.]+)(%?)\s*\)$/.exec(color);
  if (slash) return Number(slash[1]) / (slash[2] ? 100 : 1);
  const rgba = /^rgba\([^,]+,[^,]+,[^,]+,\s*([\d.]+)\)$/.exec(color);
  return rgba ? Number(rgba[1]) : 1;
}

/** WCAG contrast of two rgb() colours; null when one is in another notation. */
export function contrastOf(a: string, b: string): number | null {
  const luminance = (color: string) => {
    const channels = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(color)?.slice(1).map(Number);
    if (!channels) return null;
    const [r, g, bl] = channels.map((c) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [la, lb] = [luminance(a), luminance(b)];
  if (la === null || lb === null) return null;
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** What hides an element in its own style or its ancestors' (up to `stop`, exclusive; the page's root by default). */
function styleSigns(element: Element, signs: Set<TamperSign>, stop: Element | null = null) {
  const own = getComputedStyle(element);
  if (own.visibility && own.visibility !== 'visible') signs.add('VISIBILITY');
  if (!none(own.contentVisibility) && own.contentVisibility !== 'visible') signs.add('DISPLAY');
  if (!none(own.clip)) signs.add('CLIP');
  let opacity = 1;
  for (let node: Element | null = element; node && node !== stop; node = node.parentElement) {
    const style = node === element ? own : getComputedStyle(node);
    if (style.display === 'none') signs.add('DISPLAY');
    opacity *= style.opacity === '' ? 1 : Number(style.opacity);
    if (!none(style.filter) || !none(style.mixBlendMode)) signs.add('FILTER');
    if (!none(style.clipPath) || !none(style.maskImage) || !none(style.webkitMaskImage)) signs.add('CLIP');
    const zoom = (style as CSSStyleDeclaration & { zoom?: string }).zoom;
    if (!identity(style.transform) || !none(style.translate) || !none(style.rotate) || !none(style.scale))
      signs.add('TRANSFORM');
    if (zoom && zoom !== '1' && zoom !== 'normal') signs.add('TRANSFORM');
  }
  if (opacity < MIN_OPACITY) signs.add('OPACITY');
  if (alphaOf(own.color) < MIN_OPACITY) signs.add('COLOR');
}

/** The viewport's size, scrollbars left out (what `position: fixed; inset: 0` covers). */
const viewport = () => ({
  width: document.documentElement.clientWidth || window.innerWidth,
  height: document.documentElement.clientHeight || window.innerHeight,
});

/** Whether a box is on screen and at least `min` large; `anchored` boxes start at the viewport's top left. */
function boxSigns(element: Element, signs: Set<TamperSign>, min: { width: number; height: number }, anchored = false) {
  if (element.getClientRects().length === 0) return signs.add('DISPLAY');
  const box = element.getBoundingClientRect();
  const { width, height } = viewport();
  const outside = box.bottom <= 0 || box.right <= 0 || box.top >= height || box.left >= width;
  if (outside || (anchored && (Math.abs(box.top) > 1 || Math.abs(box.left) > 1))) signs.add('OFF_SCREEN');
  if (box.width < min.width || box.height < min.height) signs.add('SIZE');
}

/** The mark's own look: stacking, the banner's colours, the border's edges, the watermark's image. */
function lookSigns(mark: Mark, element: HTMLElement, signs: Set<TamperSign>) {
  const style = getComputedStyle(element);
  if (style.position !== 'fixed' || Number(style.zIndex) !== MARK_Z[mark]) signs.add('STACKING');
  if (mark === 'BANNER') {
    const contrast = contrastOf(style.color, style.backgroundColor);
    if (alphaOf(style.backgroundColor) < MIN_OPACITY || (contrast !== null && contrast < MIN_CONTRAST))
      signs.add('COLOR');
  } else if (mark === 'BORDER') {
    for (const side of ['Top', 'Right', 'Bottom', 'Left'] as const) {
      if (alphaOf(style[`border${side}Color`]) < MIN_OPACITY || none(style[`border${side}Style`])) signs.add('COLOR');
      if (style[`border${side}Style`] === 'hidden' || parseFloat(style[`border${side}Width`]) < 2) signs.add('SIZE');
    }
  } else {
    if (!style.backgroundImage.includes('STAFF') || !['', 'repeat'].includes(style.backgroundRepeat))
      signs.add('IMAGE');
    if (!none(style.backgroundSize) && !/^\d/.test(style.backgroundSize)) signs.add('IMAGE');
  }
}

/** The banner and its parts must be what hit-testing finds at their points. */
function hitSigns(banner: HTMLElement, signs: Set<TamperSign>) {
  const points: [number, number][] = [];
  const box = banner.getBoundingClientRect();
  for (const x of [0.1, 0.5, 0.9]) points.push([box.left + box.width * x, box.top + box.height / 2]);
  for (const selector of BANNER_PARTS) {
    const part = banner.querySelector(selector);
    if (!part) {
      signs.add('REMOVED');
      continue;
    }
    styleSigns(part, signs, banner);
    boxSigns(part, signs, { width: 4, height: 8 });
    const rect = part.getBoundingClientRect();
    points.push([rect.left + rect.width / 2, rect.top + rect.height / 2]);
  }
  // Every browser hit-tests; a DOM without layout (jsdom, in component tests) cannot, and skips it.
  if (typeof document.elementFromPoint !== 'function') return;
  for (const [x, y] of points) {
    const hit = document.elementFromPoint(x, y);
    if (hit && !banner.contains(hit)) signs.add('COVERED');
  }
}

/**
 * The highest z-index of what stacks above the marks (Infinity: the browser's top layer or the
 * root's ::after, above everything), or null. The marks' container is the body's last child at the
 * highest z-index, so only what comes after it in the page can draw over it.
 */
function coveringZ(holder: HTMLElement): number | null {
  for (const selector of [':modal', ':popover-open', ':fullscreen']) {
    try {
      if (document.querySelector(selector)) return Infinity;
    } catch {
      // A selector this browser does not know: nothing of the kind can be open.
    }
  }
  for (const root of [document.documentElement, document.body]) {
    const after = getComputedStyle(root, '::after');
    if (!none(after.content) && ['fixed', 'absolute'].includes(after.position)) return Infinity;
  }
  let highest: number | null = null;
  for (let next = holder.nextElementSibling; next; next = next.nextElementSibling) {
    const z = Number(getComputedStyle(next).zIndex);
    if (Number.isFinite(z) && z >= MARK_Z.WATERMARK) highest = Math.max(highest ?? z, z);
  }
  return highest;
}

/** Every mark found hidden in `holder` (the marks' container, a child of the page's body), and how. */
export function findMarkProblems(holder: HTMLElement | null): MarkProblems {
  const problems: MarkProblems = new Map();
  const cover = holder?.isConnected ? coveringZ(holder) : null;
  for (const [mark, testId] of Object.entries(MARKS) as [Mark, string][]) {
    const signs = new Set<TamperSign>();
    const element = holder?.querySelector<HTMLElement>(`[data-testid="${testId}"]`) ?? null;
    if (!element?.isConnected) signs.add('REMOVED');
    else {
      styleSigns(element, signs);
      lookSigns(mark, element, signs);
      const { width, height } = viewport();
      const min =
        mark === 'BANNER' ? { width: width * 0.9, height: 16 } : { width: width * 0.95, height: height * 0.95 };
      boxSigns(element, signs, min, true);
      if (mark === 'BANNER') hitSigns(element, signs);
      if (cover !== null && cover >= MARK_Z[mark]) signs.add('COVERED');
    }
    if (signs.size > 0) problems.set(mark, signs);
  }
  return problems;
}
