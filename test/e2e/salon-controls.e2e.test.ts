// The customer in control and the salon's controls (issue 14) in headless Chromium, on the real
// app serving the built client: Chloe's own portal shows, live, that Mara is viewing her account
// and why, and her "Stop this view" ends Mara's staff view at once, with Chloe's words; a step-up
// asks Mara's password again once her sign-in is older than STEP_UP_MINUTES; Max's kill switch
// ends Mara's staff view and refuses starts. With DATABASE_URL and REDIS_URL set, Max and Mara use
// two app instances on the same PostgreSQL and Redis; on the embedded database one instance serves
// both (a second instance needs Redis to hear the switch), and the test's name says which ran.
// Saves the README's screenshots on the way. Skipped, with a notice, where there is no Chromium.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, startTestApp, startTestAppBeside, type DemoAccount, type TestApp } from '../harness.ts';
import { chooseScope } from './scope.ts';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM_PATH);
if (!hasChromium)
  console.warn(`Browser tests skipped: no Chromium at ${CHROMIUM_PATH} (install it or set CHROMIUM_PATH).`);

const twoInstances = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);
const KILL_SWITCH_TITLE = twoInstances
  ? 'ends the staff view on the other instance'
  : 'ends the staff view (one instance: two need DATABASE_URL and REDIS_URL)';

const SCREENSHOTS = fileURLToPath(
  new URL(
    process.env.UPDATE_SCREENSHOTS === '1' ? '../../docs/screenshots/' : '../../test-results/screenshots/',
    import.meta.url,
  ),
);
/** This file's own build of the client: another browser test building client/dist at once cannot break it. */
const CLIENT_DIR = fileURLToPath(new URL('../../test-results/client-salon-controls/', import.meta.url));
const VIEWPORT = { width: 1360, height: 900 };
const VIEW_REASON = 'Chloe asked us to check her saved card';
const CHLOE_WORDS = 'Please call me before looking';
const KILL_REASON = 'Suspected phishing of staff accounts';
/** How long a pushed change may take to show on a loaded machine. */
const POLL = { timeout: 10_000 };

/** Builds the client (production mode) into CLIENT_DIR. */
async function buildClient() {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: 'client',
      configFile: 'client/vite.config.ts',
      logLevel: 'warn',
      build: { outDir: CLIENT_DIR, emptyOutDir: true, sourcemap: false },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

async function signIn(page: Page, account: DemoAccount, lands: 'Admin sections' | 'Portal sections') {
  await page.goto('/');
  await page.getByLabel('Email').fill(demo[account].email);
  await page.getByLabel('Password').fill(demo[account].password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: lands }).waitFor();
}

// Two browsers sign in and a second app may start: a loaded machine needs more than the default 30 s.
describe.skipIf(!hasChromium)(
  'The customer in control and the salon’s controls, in the browser',
  { timeout: 90_000 },
  () => {
    let app: TestApp;
    /** Max's instance: a second one on the same PostgreSQL and Redis, or `app` on the embedded database. */
    let other: TestApp;
    let browser: Browser;
    let mara: Page;
    let chloe: Page;
    let max: Page;

    const pageOn = async (instance: TestApp) =>
      (
        await browser.newContext({ baseURL: new URL(instance.url).origin, viewport: VIEWPORT, locale: 'en-US' })
      ).newPage();

    const startViewOfChloe = async () => {
      await mara.getByTestId(`view-as-${demo.chloe.email}`).click();
      const dialog = mara.getByTestId('view-as-dialog');
      await dialog.getByLabel('Reason for viewing').fill(VIEW_REASON);
      await chooseScope(dialog, ['Billing']);
      await dialog.getByTestId('start-staff-view').click();
      return dialog;
    };

    beforeAll(async () => {
      await buildClient();
      const redisChannelPrefix = `e2e-controls-${randomBytes(6).toString('hex')}`;
      app = await startTestApp({ serveClient: true, clientDir: CLIENT_DIR, redisChannelPrefix });
      other = twoInstances
        ? await startTestAppBeside(app, { serveClient: true, clientDir: CLIENT_DIR, redisChannelPrefix })
        : app;
      browser = await chromium.launch({
        executablePath: CHROMIUM_PATH,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
      });
      mara = await pageOn(app);
      chloe = await pageOn(app);
      mkdirSync(SCREENSHOTS, { recursive: true });
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      if (other !== app) await other?.close();
      await app?.close();
    });

    it('shows Chloe, in her own portal, that Mara is viewing her account and why, as soon as Mara starts', async () => {
      await signIn(chloe, 'chloe', 'Portal sections');
      await signIn(mara, 'mara', 'Admin sections');
      expect(await chloe.getByTestId('presence-notice').count()).toBe(0);
      await startViewOfChloe();
      await mara.getByRole('navigation', { name: 'Portal sections' }).waitFor();

      const notice = chloe.getByTestId('presence-notice');
      await notice.waitFor();
      const text = await notice.innerText();
      expect(text).toContain('Mara Quinn from Tidy Tails is viewing your account now.');
      expect(text).toContain(`Reason: ${VIEW_REASON}`);
      await chloe.screenshot({ path: `${SCREENSHOTS}presence-notice.png` });
    });

    it("ends Mara's staff view when Chloe presses Stop this view, and shows Mara Chloe's words", async () => {
      const notice = chloe.getByTestId('presence-notice');
      await notice.getByLabel('Message to Mara (optional)').fill(CHLOE_WORDS);
      // She keeps her permission, so Mara may start again below (the block: test/customer-stop.test.ts).
      await notice.getByLabel('Keep my permission (Mara may ask again)').check();
      await notice.getByRole('button', { name: 'Stop this view' }).click();
      await expect
        .poll(() => chloe.getByTestId('stop-confirmation').innerText(), POLL)
        .toContain("You stopped Mara Quinn's view at");

      const ended = mara.getByTestId('session-ended');
      await ended.waitFor({ timeout: 10_000 });
      await expect
        .poll(() => ended.innerText(), POLL)
        .toContain(`Stopped by Chloe Martin from their portal: “${CHLOE_WORDS}”`);
      await mara.getByRole('navigation', { name: 'Admin sections' }).waitFor();
      expect(await mara.getByTestId('staff-banner').count()).toBe(0);
      await notice.waitFor({ state: 'detached' });
    });

    it("asks Mara's password again once her sign-in is older than STEP_UP_MINUTES, refuses a wrong one, then starts", async () => {
      app.clock.advance((app.services.config.STEP_UP_MINUTES + 1) * 60_000);
      await mara.reload();
      await mara.getByTestId(`view-as-${demo.chloe.email}`).click();
      const dialog = mara.getByTestId('view-as-dialog');
      await dialog.getByLabel('Reason for viewing').fill(VIEW_REASON);
      await chooseScope(dialog, ['Billing']);
      const password = dialog.getByLabel('Your password');
      const start = dialog.getByTestId('start-staff-view');
      expect(await start.isDisabled()).toBe(true);

      await password.fill('not my password');
      await start.click();
      await expect.poll(() => dialog.innerText(), POLL).toContain('The password is incorrect');
      expect(await password.inputValue()).toBe('');
      expect(await mara.getByRole('navigation', { name: 'Portal sections' }).count()).toBe(0);
      await mara.screenshot({ path: `${SCREENSHOTS}step-up.png` });

      await password.fill(demo.mara.password);
      await start.click();
      await mara.getByRole('navigation', { name: 'Portal sections' }).waitFor();
      await chloe.getByTestId('presence-notice').waitFor();
    });

    it(`turns staff views off salon-wide from Max's Active sessions, and ${KILL_SWITCH_TITLE}`, async () => {
      max = await pageOn(other);
      await signIn(max, 'max', 'Admin sections');
      await max.getByRole('link', { name: 'Active sessions' }).click();
      await max.locator('tr[data-session-id]').first().waitFor();
      await max.getByRole('button', { name: 'Turn off staff views' }).click();
      const dialog = max.getByTestId('staff-views-dialog');
      await dialog.getByLabel('Reason').fill(KILL_REASON);
      await dialog.getByTestId('confirm-staff-views-switch').click();

      const ended = mara.getByTestId('session-ended');
      await ended.waitFor({ timeout: 10_000 });
      await expect
        .poll(() => ended.innerText(), POLL)
        .toContain(`Staff views were turned off salon-wide: ${KILL_REASON}`);
      expect(await mara.getByTestId('staff-banner').count()).toBe(0);
      await chloe.getByTestId('presence-notice').waitFor({ state: 'detached' });

      const panel = max.getByTestId('staff-views-switch');
      await expect.poll(() => panel.innerText(), POLL).toContain('Staff views are off salon-wide');
      expect(await panel.innerText()).toContain(`by Max Okafor: “${KILL_REASON}”`);
      await max.getByText('No active sessions').waitFor();
      await max.screenshot({ path: `${SCREENSHOTS}kill-switch.png` });
    });

    it('tells Mara on the Customers page why she cannot start, live, until a second manager approves Max’s request to turn staff views back on', async () => {
      const why = mara.getByTestId('view-as-unavailable');
      await expect.poll(() => why.innerText(), POLL).toContain('Staff views are turned off salon-wide by Max Okafor');
      expect(await mara.getByTestId(`view-as-${demo.chloe.email}`).isDisabled()).toBe(true);

      // Turning them back on weakens a safeguard: Max files a request, and a second manager decides it.
      await max.getByRole('button', { name: 'Turn staff views back on' }).click();
      await max.getByLabel('Reason (managers and audit only)').fill('The phishing check is over, all accounts clear');
      await max.getByTestId('confirm-governance-request').click();
      await max.getByTestId('governance-request-filed').waitFor();
      expect(await why.innerText()).toContain('Staff views are turned off salon-wide by Max Okafor');

      const maraToken = await app.signIn('mara');
      const list = await app.gql<{ governanceRequests: { id: string; kind: string; state: string }[] }>(
        '{ governanceRequests { id kind state } }',
        {},
        maraToken,
      );
      const request = list.data!.governanceRequests.find(
        (row) => row.kind === 'ENABLE_STAFF_VIEWS' && row.state === 'PENDING',
      )!;
      const approved = await app.gql(
        'mutation A($id: ID!) { approveGovernanceChange(requestId: $id) { id state } }',
        { id: request.id },
        maraToken,
      );
      expect(approved.errors).toBeUndefined();
      await why.waitFor({ state: 'detached' });
      expect(await mara.getByTestId(`view-as-${demo.chloe.email}`).isEnabled()).toBe(true);
    });
  },
);
