// A scoped staff view end to end in headless Chromium (SPEC 10, issue 23): Mara picks "a billing
// question" in the start dialog, which starts her from Billing alone; the portal then asks for
// Billing only. Home keeps Chloe's name and shows her balance, naming what is not part of the view;
// Billing shows the invoices and saved cards; the other sections are marked in the navigation and,
// opened (also with the keyboard), say calmly that they are not part of this view. Normal navigation
// leaves no refused record in the audit, and every page is axe clean. Saves the README's screenshot
// (docs/screenshots/scoped-view.png with UPDATE_SCREENSHOTS=1). Skipped where there is no Chromium.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, startTestApp, type TestApp } from '../harness.ts';
import { expectAccessible } from './axe.ts';
import { SCREENSHOTS, buildClient, hasChromium, launchBrowser, signIn } from './browser.ts';
import { hasFocus, tabTo } from './keyboard.ts';

const VIEWPORT = { width: 1360, height: 900 };
const VIEW_REASON = 'Chloe asks why invoice INV-1010 is still pending';
const OUTSIDE = 'not part of this view';
/** Each step drives the browser and the server on a shared machine. */
const STEP_MS = 90_000;

describe.skipIf(!hasChromium)('A Billing view in the browser', () => {
  let app: TestApp;
  let browser: Browser;
  let mara: Page;
  let sessionId: string;

  const nav = () => mara.getByRole('navigation', { name: 'Portal sections' });
  const headerName = () => mara.locator('.portal-header__name').innerText();

  beforeAll(async () => {
    await buildClient();
    app = await startTestApp({ serveClient: true });
    browser = await launchBrowser();
    const context = await browser.newContext({ baseURL: new URL(app.url).origin, viewport: VIEWPORT, locale: 'en-US' });
    mara = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  }, STEP_MS);

  it(
    'a billing question starts the view from Billing alone',
    async () => {
      await signIn(mara, 'mara');
      await mara.getByTestId(`view-as-${demo.chloe.email}`).click();
      const dialog = mara.getByTestId('view-as-dialog');
      await dialog.getByLabel('Reason for viewing').fill(VIEW_REASON);
      await dialog.getByLabel('The question is about').selectOption('BILLING');
      const group = dialog.getByRole('group', { name: 'What this view needs' });
      expect(await group.getByRole('checkbox', { name: 'Billing', exact: true }).isChecked()).toBe(true);
      for (const other of ['Appointments', 'My Pets', 'Report Cards', 'Messages', 'Settings', 'Whole portal'])
        expect(await group.getByRole('checkbox', { name: other, exact: true }).isChecked()).toBe(false);
      await expectAccessible(mara, 'Start dialog with a question topic');
      await dialog.getByTestId('start-staff-view').click();
      await nav().waitFor();
      const stored = await mara.evaluate(
        () => JSON.parse(sessionStorage.getItem('salon.impersonation') ?? 'null') as { sessionId: string } | null,
      );
      sessionId = stored!.sessionId;
      const session = await app.services.prisma.impersonationSession.findUniqueOrThrow({ where: { id: sessionId } });
      expect(session.scope).toEqual(['BILLING']);
    },
    STEP_MS,
  );

  it(
    'Home keeps her name, shows her balance only, and names the sections that are not part of the view',
    async () => {
      await mara.getByRole('heading', { level: 2, name: 'Balance due' }).waitFor();
      await expect.poll(headerName, { timeout: 15_000 }).toBe('Chloe Martin');
      expect(await mara.getByTestId('staff-banner-scope').innerText()).toBe('Sections: Billing');
      for (const heading of ['Next visit', 'Vaccination reminders', 'Latest report card', 'Messages'])
        expect(await mara.getByRole('heading', { level: 2, name: heading }).count()).toBe(0);
      expect(await mara.getByTestId('outside-view-home').innerText()).toBe(
        'Not part of this view: start a new view to see Appointments, Pets, Report Cards or Messages.',
      );
      await expectAccessible(mara, 'Home of a Billing view');
    },
    STEP_MS,
  );

  it(
    'the navigation marks every section but Home and Billing as not part of the view',
    async () => {
      const outside = nav().getByRole('link', { name: new RegExp(OUTSIDE) });
      expect(await outside.count()).toBe(5);
      await nav()
        .getByRole('link', { name: `My Pets, ${OUTSIDE}` })
        .waitFor();
      expect(await nav().getByRole('link', { name: 'Billing', exact: true }).count()).toBe(1);
    },
    STEP_MS,
  );

  it(
    'Billing shows her invoices and saved cards',
    async () => {
      await nav().getByRole('link', { name: 'Billing', exact: true }).click();
      await mara.locator('main h1', { hasText: 'Billing' }).waitFor();
      await mara
        .locator('main')
        .getByText(/INV-10\d\d/)
        .first()
        .waitFor();
      await mara
        .locator('main')
        .getByText(/•••• \d{4}|ending in \d{4}|\d{4}/)
        .first()
        .waitFor();
      expect(await headerName()).toBe('Chloe Martin');
      await expectAccessible(mara, 'Billing of a Billing view');
    },
    STEP_MS,
  );

  it(
    'My Pets, reached with the keyboard, says calmly it is not part of this view; the name stays',
    async () => {
      const pets = nav().getByRole('link', { name: `My Pets, ${OUTSIDE}` });
      await tabTo(mara, pets);
      expect(await hasFocus(pets)).toBe(true);
      await mara.keyboard.press('Enter');
      const placeholder = mara.getByTestId('outside-view');
      await placeholder.waitFor();
      expect(await placeholder.innerText()).toContain('Not part of this view: start a new view to see Pets.');
      expect(await mara.locator('main h1').innerText()).toBe('My Pets');
      expect(await pets.getAttribute('aria-current')).toBe('page');
      expect(await headerName()).toBe('Chloe Martin');
      await expectAccessible(mara, 'A section outside a Billing view');
      await mara.screenshot({ path: `${SCREENSHOTS}scoped-view.png` });
    },
    STEP_MS,
  );

  it(
    'opened directly (a reload on /messages), a section outside the view shows the placeholder and the name',
    async () => {
      await mara.goto('/messages');
      await mara.getByTestId('outside-view').waitFor();
      expect(await mara.getByTestId('outside-view').innerText()).toContain('start a new view to see Messages');
      await expect.poll(headerName, { timeout: 15_000 }).toBe('Chloe Martin');
      expect(await mara.getByTestId('staff-banner-scope').innerText()).toBe('Sections: Billing');
    },
    STEP_MS,
  );

  it(
    'normal navigation left no refused record in the audit',
    async () => {
      const records = await app.services.prisma.auditEvent.findMany({ where: { sessionId } });
      const pages = records.filter((record) => record.operationName);
      expect(pages.map((record) => record.operationName)).toEqual(
        expect.arrayContaining(['HomePage', 'BillingPage', 'OutsideViewPage']),
      );
      const refused = records
        .filter(
          (record) =>
            record.errorCode === 'FORBIDDEN' ||
            ((record.seen as { refused?: string[] } | null)?.refused ?? []).length > 0,
        )
        .map((record) => ({ operation: record.operationName, seen: record.seen }));
      expect(refused).toEqual([]);
    },
    STEP_MS,
  );
});
