// What the keyboard-only browser tests share: getting to a control with Tab as a user would,
// checking a dialog keeps focus and gives it back, and reading what a live region says.
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** Presses Tab (Shift+Tab with `back`) until `target` has focus: how a keyboard user gets there. */
export async function tabTo(page: Page, target: Locator, back = false, max = 120) {
  await target.waitFor();
  for (let press = 0; press < max; press += 1) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${max} presses of ${back ? 'Shift+Tab' : 'Tab'} never reached the control`);
}

export const hasFocus = (target: Locator) => target.evaluate((element) => element === document.activeElement);
const focusInside = (target: Locator) => target.evaluate((element) => element.contains(document.activeElement));

/**
 * The dialog keeps focus: many presses of Tab and of Shift+Tab never leave it, and the app behind
 * it is inert (the staff-view marks, outside the app, stay as they are).
 */
export async function expectFocusTrapped(page: Page, dialog: Locator) {
  expect(await page.evaluate(() => document.getElementById('root')?.inert)).toBe(true);
  for (const key of ['Tab', 'Shift+Tab']) {
    for (let press = 0; press < 12; press += 1) {
      await page.keyboard.press(key);
      expect(await focusInside(dialog), `${key} #${press + 1} left the dialog`).toBe(true);
    }
  }
}

/** Escape closes the dialog, the app is usable again, and focus is back on what opened it. */
export async function expectEscapeReturnsTo(page: Page, dialog: Locator, opener: Locator) {
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  expect(await page.evaluate(() => document.getElementById('root')?.inert)).toBe(false);
  expect(await hasFocus(opener)).toBe(true);
}

export const politeText = (page: Page, testId: string) =>
  page.getByTestId(testId).evaluate((element) => {
    if (element.getAttribute('aria-live') !== 'polite') throw new Error(`${element.dataset.testid} is not polite`);
    return element.textContent ?? '';
  });
