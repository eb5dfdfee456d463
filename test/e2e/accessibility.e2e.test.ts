// WCAG 2.2 A and AA with axe-core, in headless Chromium on the real app serving the built client:
// the sign-in page; every portal page as Chloe sees it and as Mara sees it in a staff view; every
// page of the admin app; and every dialog open (start, extend, terminate, the kill switch, a
// governance request, the step-up prompt), with the notices around them (Chloe's "Stop this view",
// the ended notice, a read-only action's explanation). Any violation of moderate impact or above
// fails (test/e2e/axe.ts lists them).
// Skipped, with a notice, where there is no Chromium.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, startTestApp, type TestApp } from '../harness.ts';
import { expectAccessible } from './axe.ts';
import { buildClient, hasChromium, launchBrowser, signIn } from './browser.ts';
import { chooseScope, WHOLE_PORTAL } from './scope.ts';

const VIEWPORT = { width: 1360, height: 900 };
const VIEW_REASON = 'Chloe asked about her next visit';
const PORTAL_PAGES = ['Home', 'Appointments', 'My Pets', 'Report Cards', 'Billing', 'Messages', 'Settings'];
const ADMIN_PAGES = ['Customers', 'Active sessions', 'Audit log'];

/** Opens a section from the page's navigation and waits for its data (no loading state left). */
async function openSection(page: Page, nav: 'Portal sections' | 'Admin sections', name: string) {
  await page.getByRole('navigation', { name: nav }).getByRole('link', { name, exact: true }).click();
  await page.locator('main h1').first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll('main .loading').length === 0);
}

/** Checks the open dialog with axe, then closes it with Escape (also when the check failed). */
async function checkDialog(page: Page, testId: string, where: string) {
  await page.getByTestId(testId).waitFor();
  try {
    await expectAccessible(page, where);
  } finally {
    await page.keyboard.press('Escape');
    await page.getByTestId(testId).waitFor({ state: 'detached' });
  }
}

/** Runs `check`, then `next` whether or not it failed (so later steps still run), then fails as `check` did. */
async function thenContinue(check: Promise<void>, next: () => Promise<void>) {
  const failure = await check.then(
    () => null,
    (error: unknown) => error,
  );
  await next();
  if (failure) throw failure;
}

// Three people sign in and axe runs about thirty times: a loaded machine needs more than 30 s a step.
describe.skipIf(!hasChromium)('Every page and dialog meets WCAG 2.2 AA (axe-core)', { timeout: 120_000 }, () => {
  let app: TestApp;
  let browser: Browser;
  let chloe: Page;
  let mara: Page;
  let max: Page;

  const newPage = async () =>
    (await browser.newContext({ baseURL: new URL(app.url).origin, viewport: VIEWPORT, locale: 'en-US' })).newPage();

  beforeAll(async () => {
    await buildClient();
    app = await startTestApp({ serveClient: true });
    browser = await launchBrowser();
    chloe = await newPage();
    mara = await newPage();
    max = await newPage();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('the sign-in page', async () => {
    await chloe.goto('/');
    await chloe.getByLabel('Email').waitFor();
    await expectAccessible(chloe, 'Sign-in page');
  });

  it('fails a page with a violation planted in it, naming the rule and the element', async () => {
    await chloe.evaluate(() => {
      const planted = document.createElement('div');
      planted.id = 'planted';
      planted.innerHTML = '<img src="data:," width="20" height="20"><p style="color:#cbd5e1">Faint text</p>';
      document.querySelector('form')?.append(planted);
    });
    const check = expectAccessible(chloe, 'Sign-in page, planted');
    await expect(check).rejects.toThrow(/\[critical\] image-alt/);
    await expect(check).rejects.toThrow(/\[serious\] color-contrast[^]*#planted > p/);
    await chloe.evaluate(() => document.getElementById('planted')?.remove());
  });

  for (const name of PORTAL_PAGES) {
    it(`the portal's ${name} page, as Chloe`, async () => {
      if (name === 'Home') await signIn(chloe, 'chloe');
      await openSection(chloe, 'Portal sections', name);
      await expectAccessible(chloe, `Portal ${name} (customer)`);
    });
  }

  for (const name of ADMIN_PAGES) {
    it(`the admin app's ${name} page`, async () => {
      if (name === 'Customers') await signIn(mara, 'mara');
      await openSection(mara, 'Admin sections', name);
      if (name === 'Customers') await mara.getByRole('table', { name: 'Customers' }).waitFor();
      await expectAccessible(mara, `Admin ${name}`);
    });
  }

  it("the audit log's list of all events, with a row's details open", async () => {
    await mara.getByRole('link', { name: 'All events' }).click();
    const table = mara.getByTestId('audit-table');
    await table.locator('.audit-row').first().waitFor();
    await table.getByRole('button', { name: 'Details' }).first().click();
    await table.locator('.audit-details').waitFor();
    await expectAccessible(mara, 'Admin audit log, all events');
  });

  it('the governance request dialog (protect a customer)', async () => {
    await openSection(mara, 'Admin sections', 'Customers');
    // Protecting is instant; removing the protection is what asks a second manager.
    const protect = mara.getByTestId(`protect-${demo.dan.email}`);
    await protect.click();
    await expect.poll(() => protect.getAttribute('aria-pressed')).toBe('true');
    await protect.click();
    await checkDialog(mara, 'governance-request-dialog', 'Governance request dialog');
  });

  it('the kill-switch dialog', async () => {
    await openSection(mara, 'Admin sections', 'Active sessions');
    await mara.getByRole('button', { name: 'Turn off staff views' }).click();
    await checkDialog(mara, 'staff-views-dialog', 'Kill-switch dialog');
  });

  it('the start dialog', async () => {
    await openSection(mara, 'Admin sections', 'Customers');
    await mara.getByTestId(`view-as-${demo.chloe.email}`).click();
    const dialog = mara.getByTestId('view-as-dialog');
    await dialog.getByLabel('Reason for viewing').fill(VIEW_REASON);
    await chooseScope(dialog, WHOLE_PORTAL);
    await thenContinue(expectAccessible(mara, 'Start dialog'), async () => {
      await dialog.getByTestId('start-staff-view').click();
      await mara.getByRole('navigation', { name: 'Portal sections' }).waitFor();
      await mara.getByTestId('staff-banner').waitFor();
    });
  });

  for (const name of PORTAL_PAGES) {
    it(`the portal's ${name} page, as Mara's staff view`, async () => {
      await openSection(mara, 'Portal sections', name);
      await expectAccessible(mara, `Portal ${name} (staff view)`);
    });
  }

  it("a read-only action's explanation, shown where it was pressed in the staff view", async () => {
    await openSection(mara, 'Portal sections', 'Appointments');
    // Pressed as a person would: Playwright itself waits for an aria-disabled button to be enabled.
    await mara.getByRole('button', { name: 'Book a visit' }).first().click({ force: true });
    await mara.getByTestId('read-only-hint').filter({ hasText: 'Staff view: read-only.' }).waitFor();
    await expectAccessible(mara, 'Read-only explanation (staff view)');
  });

  it("Chloe's own portal while Mara views it (the presence notice and Stop this view)", async () => {
    await openSection(chloe, 'Portal sections', 'Home');
    await chloe.getByTestId('presence-notice').waitFor();
    await expectAccessible(chloe, 'Portal Home with the presence notice (customer)');
  });

  it('the terminate dialog', async () => {
    await signIn(max, 'max');
    await openSection(max, 'Admin sections', 'Active sessions');
    const row = max.locator('tr[data-session-id]').first();
    await row.waitFor();
    await row.getByRole('button', { name: /Terminate/ }).click();
    const dialog = max.getByTestId('terminate-dialog');
    await dialog.getByLabel('Internal note (staff and audit only)').fill('Checking the dialog');
    await checkDialog(max, 'terminate-dialog', 'Terminate dialog');
  });

  it('the extend dialog, once Extend shows in the last minutes', async () => {
    const { IMPERSONATION_DURATION_MINUTES, IMPERSONATION_EXTENSION_WINDOW_MINUTES } = app.services.config;
    app.clock.advance((IMPERSONATION_DURATION_MINUTES - IMPERSONATION_EXTENSION_WINDOW_MINUTES + 1) * 60_000);
    await mara.reload();
    await mara.getByTestId('extend-session').click();
    await checkDialog(mara, 'confirm-extend', 'Extend dialog');
  });

  it("the step-up prompt, which Max's kill switch meets once his sign-in is older than STEP_UP_MINUTES", async () => {
    await max.getByRole('button', { name: 'Turn off staff views' }).click();
    const dialog = max.getByTestId('staff-views-dialog');
    await dialog.getByLabel('Reason').fill('Checking the step-up prompt');
    await dialog.getByTestId('confirm-staff-views-switch').click();
    const prompt = max.getByTestId('step-up-dialog');
    await prompt.waitFor();
    await thenContinue(expectAccessible(max, 'Step-up prompt'), async () => {
      await prompt.getByTestId('step-up-password').fill(demo.max.password);
      await prompt.getByTestId('step-up-password').press('Enter');
      await prompt.waitFor({ state: 'detached' });
    });
  });

  it('the notice Mara sees when her staff view ends', async () => {
    await mara.getByTestId('session-ended').waitFor({ timeout: 15_000 });
    await mara.getByRole('navigation', { name: 'Admin sections' }).waitFor();
    await expectAccessible(mara, 'Ended notice (admin app)');
  });
});
