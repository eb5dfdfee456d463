// Consent and four-eyes end to end in headless Chromium, on the real app serving the built client,
// each person in a browser context of their own: Chloe chooses "Ask me first" in her Settings;
// Mara's start becomes a request that appears at once in Chloe's open portal; Chloe allows it for
// an hour; Mara's dialog updates by itself and she starts the staff view. Then Max marks Dan
// protected, Mara's start on Dan waits for a second manager, Max approves it in his live Active
// sessions view, and Mara starts; the session records Max as its approver. Saves the README's
// screenshots on the way (UPDATE_SCREENSHOTS=1). Skipped, with a notice, where there is no Chromium.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, startTestApp, type DemoAccount, type TestApp } from '../harness.ts';
import { chooseScope } from './scope.ts';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM_PATH);
if (!hasChromium)
  console.warn(`Browser tests skipped: no Chromium at ${CHROMIUM_PATH} (install it or set CHROMIUM_PATH).`);

const SCREENSHOTS = fileURLToPath(
  new URL(
    process.env.UPDATE_SCREENSHOTS === '1' ? '../../docs/screenshots/' : '../../test-results/screenshots/',
    import.meta.url,
  ),
);
const VIEWPORT = { width: 1360, height: 900 };
const CHLOE_REASON = 'Chloe called about moving Biscuit’s next visit';
const DAN_REASON = 'Dan disputes the charge on his last invoice';

/** Builds client/dist as `npm run build:client` does (the production build, see impersonation.e2e.test.ts). */
async function buildClient() {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root: 'client', configFile: 'client/vite.config.ts', logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

async function signIn(page: Page, account: DemoAccount, landing: 'Admin sections' | 'Portal sections') {
  await page.goto('/');
  await page.getByLabel('Email').fill(demo[account].email);
  await page.getByLabel('Password').fill(demo[account].password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: landing }).waitFor();
}

describe.skipIf(!hasChromium)('Consent and four-eyes in the browser', () => {
  let app: TestApp;
  let browser: Browser;
  let baseURL: string;
  let chloe: Page;
  let mara: Page;
  let max: Page;

  const pageInNewContext = async () =>
    (await browser.newContext({ baseURL, viewport: VIEWPORT, locale: 'en-US' })).newPage();
  const customer = (email: string) => app.services.prisma.customer.findUniqueOrThrow({ where: { email } });

  beforeAll(async () => {
    await buildClient();
    app = await startTestApp({ serveClient: true });
    baseURL = new URL(app.url).origin;
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    [chloe, mara, max] = await Promise.all([pageInNewContext(), pageInNewContext(), pageInNewContext()]);
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('chloe chooses "Ask me first" in the Staff access section at the top of her Settings', async () => {
    await signIn(chloe, 'chloe', 'Portal sections');
    await chloe.getByRole('link', { name: 'Settings' }).click();
    const section = chloe.getByTestId('staff-access');
    await section.waitFor();
    expect(await chloe.getByRole('heading', { level: 2 }).first().innerText()).toBe('Staff access to your account');
    await section.getByTestId('staff-access-ASK_FIRST').check();
    await expect.poll(async () => (await customer(demo.chloe.email)).staffAccess).toBe('ASK_FIRST');
    await chloe.getByRole('navigation', { name: 'Portal sections' }).getByRole('link', { name: 'Home' }).click();
  });

  it('mara’s start becomes a request: her dialog waits for chloe instead of opening the portal', async () => {
    await signIn(mara, 'mara', 'Admin sections');
    await mara.getByTestId(`view-as-${demo.chloe.email}`).click();
    const dialog = mara.getByTestId('view-as-dialog');
    await dialog.getByLabel('Reason for viewing').fill(CHLOE_REASON);
    await chooseScope(dialog, ['Appointments']);
    await dialog.getByTestId('start-staff-view').click();
    const status = dialog.getByTestId('access-request-status');
    await status.waitFor();
    expect(await status.innerText()).toContain('Waiting for Chloe Martin');
    expect(await dialog.getByTestId('start-staff-view').isDisabled()).toBe(true);
    expect(await mara.evaluate(() => sessionStorage.getItem('salon.impersonation'))).toBeNull();
  });

  it('the request appears at once in chloe’s open portal, with who asks and why; saves a screenshot', async () => {
    const notice = chloe.getByTestId('access-request');
    await notice.waitFor();
    const text = await notice.innerText();
    expect(text).toContain('Mara Quinn from Tidy Tails asks to view your account');
    expect(text).toContain(CHLOE_REASON);
    await chloe.screenshot({ path: `${SCREENSHOTS}consent-request.png` });
  });

  it('chloe allows it for 1 hour; mara’s dialog updates by itself and she starts the staff view', async () => {
    await chloe.getByTestId('access-request').getByRole('button', { name: 'Allow for 1 hour' }).click();
    await chloe.getByTestId('access-request-outcome').waitFor();
    expect(await chloe.getByTestId('access-request-outcome').innerText()).toBe('You allowed access.');

    const dialog = mara.getByTestId('view-as-dialog');
    await dialog.locator('[data-testid="access-request-status"][data-state="APPROVED"]').waitFor();
    expect(await dialog.getByTestId('access-request-status').innerText()).toContain('Chloe Martin allowed access');
    await dialog.getByTestId('start-staff-view').click();
    await mara.getByRole('navigation', { name: 'Portal sections' }).waitFor();
    await expect.poll(() => mara.locator('.portal-header__name').innerText()).toBe('Chloe Martin');
    await mara.getByRole('button', { name: 'End session' }).click();
    await mara.getByRole('navigation', { name: 'Admin sections' }).waitFor({ timeout: 15_000 });
  });

  it('max marks dan protected from the Customers page', async () => {
    await signIn(max, 'max', 'Admin sections');
    await max.getByTestId(`protect-${demo.dan.email}`).click();
    await expect.poll(async () => (await customer(demo.dan.email)).protected).toBe(true);
  });

  it('mara’s start on dan waits for a second manager; max approves it in Active sessions; saves a screenshot', async () => {
    await mara.goto('/admin/customers');
    await mara.getByTestId(`view-as-${demo.dan.email}`).click();
    const dialog = mara.getByTestId('view-as-dialog');
    await dialog.getByLabel('Reason for viewing').fill(DAN_REASON);
    await chooseScope(dialog, ['Billing']);
    await dialog.getByTestId('start-staff-view').click();
    await dialog.getByTestId('access-request-status').waitFor();
    expect(await dialog.getByTestId('access-request-status').innerText()).toContain('a second manager');

    await max.getByRole('link', { name: 'Active sessions' }).click();
    const approvals = max.getByTestId('staff-view-approvals');
    await approvals.waitFor();
    expect(await approvals.innerText()).toContain(DAN_REASON);
    await max.screenshot({ path: `${SCREENSHOTS}four-eyes-approval.png` });
    await approvals.getByRole('button', { name: 'Approve' }).click();
    await approvals.waitFor({ state: 'detached' });

    await dialog.locator('[data-testid="access-request-status"][data-state="APPROVED"]').waitFor();
    expect(await dialog.getByTestId('access-request-status').innerText()).toContain('Approved by Max Okafor');
    await dialog.getByTestId('start-staff-view').click();
    await mara.getByRole('navigation', { name: 'Portal sections' }).waitFor();
    const dan = await customer(demo.dan.email);
    const session = await app.services.prisma.impersonationSession.findFirstOrThrow({
      where: { customerId: dan.id, endedAt: null },
      include: { approvedBy: true },
    });
    expect(session.approvedBy?.name).toBe('Max Okafor');
  });
});
