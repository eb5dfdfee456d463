// The customer's own copy in headless Chromium (issue 22, item 7), on the real app serving the
// built client: after Mara's staff view of her pets, Chloe opens Settings and presses "Download my
// staff-access history"; the file her browser saves verifies with the salon's audit key, byte for
// byte, and says what Mara viewed; the printable page made from it names the view and meets WCAG 2.2
// AA (axe-core), as does Settings with the download's links. Skipped, with a notice, where there is
// no Chromium.
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHistoryFile } from '../../server/audit/customer-history-file.ts';
import type { CustomerHistory } from '../../server/audit/customer-history.ts';
import { END } from '../access-helpers.ts';
import { expectData } from '../factories.ts';
import { startTestApp, type TestApp } from '../harness.ts';
import { startSession } from '../impersonation-helpers.ts';
import { expectAccessible } from './axe.ts';
import { buildClient, hasChromium, launchBrowser, signIn } from './browser.ts';

const VIEWPORT = { width: 1360, height: 900 };
const REASON = 'Chloe asked which vaccinations we have on file';

describe.skipIf(!hasChromium)('Chloe downloads her staff-access history', { timeout: 120_000 }, () => {
  let app: TestApp;
  let browser: Browser;
  let chloe: Page;
  let viewId: string;
  let history: CustomerHistory;

  beforeAll(async () => {
    await buildClient();
    app = await startTestApp({ serveClient: true });
    browser = await launchBrowser();
    const context = await browser.newContext({
      baseURL: new URL(app.url).origin,
      viewport: VIEWPORT,
      locale: 'en-US',
      acceptDownloads: true,
    });
    chloe = await context.newPage();
    // Mara's staff view of Chloe's pets, ended: what the history must tell.
    const mara = await app.signIn('mara');
    const view = await startSession(app, mara, 'chloe@example.test', REASON);
    viewId = view.session.id;
    expectData(await app.gql('query PetsPage { me { pets { id name } } }', {}, view.token));
    expectData(await app.gql(END, { id: viewId }, mara));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('the file her browser saves verifies with the salon’s audit key and tells the view', async () => {
    await signIn(chloe, 'chloe');
    await chloe.getByRole('navigation', { name: 'Portal sections' }).getByRole('link', { name: 'Settings' }).click();
    const [download] = await Promise.all([
      chloe.waitForEvent('download'),
      chloe.getByRole('button', { name: 'Download my staff-access history' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^staff-access-history-.*\.json$/);
    const file = await readFile((await download.path())!);
    const check = checkHistoryFile(file, app.services.auditSigning.key);
    expect(check.finding).toBeNull();
    history = check.history as CustomerHistory;
    expect(history.views[0]).toMatchObject({ id: viewId, staffName: 'Mara Quinn', reason: REASON });
    expect(history.views[0]!.pagesViewed.map((page) => page.page)).toEqual(['My Pets']);
    await chloe.getByRole('status').filter({ hasText: 'in your file' }).waitFor();
  });

  it('Settings with the download’s links meets WCAG 2.2 AA', async () => {
    await expectAccessible(chloe, 'Settings after the download');
  });

  it('the printable page names the view in her words and meets WCAG 2.2 AA', async () => {
    const [printable] = await Promise.all([
      chloe.context().waitForEvent('page'),
      chloe.getByRole('link', { name: 'open the printable page' }).click(),
    ]);
    await printable.waitForLoadState();
    await printable.getByRole('heading', { level: 1, name: /Staff access to your .* account/ }).waitFor();
    const text = await printable.locator('main').innerText();
    expect(text).toContain(REASON);
    expect(text).toContain('Mara Quinn ended it');
    expect(text).toContain('Biscuit');
    for (const internal of ['OPERATION', 'rootFields', 'SHA256', viewId]) expect(text).not.toContain(internal);
    await expectAccessible(printable, 'printable staff-access history');
  });
});
