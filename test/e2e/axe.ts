// axe-core in the browser tests: WCAG 2.2 A and AA rules run on the page as it stands (a dialog
// open, a staff view's banner shown), and every violation of at least the given impact is listed
// with its rule, impact, help and the elements it was found on, so a failure says what to fix.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.0, 2.1 and 2.2, levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export type Impact = 'minor' | 'moderate' | 'serious' | 'critical';
const IMPACTS: Impact[] = ['minor', 'moderate', 'serious', 'critical'];

export interface AxeViolation {
  id: string;
  impact: Impact | null;
  help: string;
  nodes: { target: string[]; summary: string }[];
}

interface AxeResults {
  violations: {
    id: string;
    impact: Impact | null;
    help: string;
    nodes: { target: unknown[]; failureSummary?: string }[];
  }[];
}

/** Runs axe on the whole page (loading it once per document) and returns its violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.addScriptTag({ content: AXE_SOURCE });
  const results = await page.evaluate(
    (tags) =>
      (window as unknown as { axe: { run(context: Document, options: object): Promise<unknown> } }).axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
    WCAG_TAGS,
  );
  return (results as AxeResults).violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.map((node) => ({
      target: node.target.map(String),
      summary: (node.failureSummary ?? '').replace(/\s+/g, ' ').trim(),
    })),
  }));
}

/** One line per violation and one per element, for a test's failure message. */
export function describeViolations(where: string, violations: AxeViolation[]): string {
  if (violations.length === 0) return `${where}: no violations`;
  const lines = [`${where}: ${violations.length} axe violation(s)`];
  for (const violation of violations) {
    lines.push(`  [${violation.impact ?? 'unknown'}] ${violation.id}: ${violation.help}`);
    for (const node of violation.nodes.slice(0, 5)) lines.push(`    ${node.target.join(' ')} — ${node.summary}`);
    if (violation.nodes.length > 5) lines.push(`    … and ${violation.nodes.length - 5} more`);
  }
  return lines.join('\n');
}

/**
 * Checks the page with axe and throws, listing them all, when a violation is at least `minimum`
 * (moderate by default: every one today's pages had is fixed, so none may come back).
 */
export async function expectAccessible(page: Page, where: string, minimum: Impact = 'moderate'): Promise<void> {
  const violations = await axeViolations(page);
  const floor = IMPACTS.indexOf(minimum);
  const failing = violations.filter((violation) => IMPACTS.indexOf(violation.impact ?? 'critical') >= floor);
  if (failing.length > 0) throw new Error(describeViolations(where, violations));
  if (violations.length > 0) console.warn(describeViolations(where, violations));
}
