// Staff-access notices end to end in headless Chromium, with a real SMTP server in the test
// process: a manager starts and ends a staff view of Chloe in the browser; the start and end
// emails arrive (who, why, how long, what was viewed) and Chloe reads both in her portal's
// Messages. On a 390 px wide screen the portal's current tab is scrolled into view, in the staff
// view and in Chloe's own portal. Saves the README's screenshots of the email and the message.
import { existsSync } from 'node:fs';
import type { ParsedMail } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, startTestApp, type TestApp } from '../harness.ts';
import { startSmtpSink, type SmtpSink } from '../smtp-sink.ts';
import { SCREENSHOTS, buildClient, hasChromium, launchBrowser, signIn } from './browser.ts';
import { chooseScope } from './scope.ts';

const VIEWPORT = { width: 1360, height: 900 };
const PHONE = { width: 390, height: 844 };
const VIEW_REASON = 'Chloe asked us to check her upcoming visits';

/** Moves the client router as a link or the back button would, without Playwright scrolling anything. */
const routeTo = (page: Page, path: string) =>
  page.evaluate((to) => {
    window.history.pushState(null, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);

/** The current portal tab's left and right edges, and the tab bar's scroll width and viewport width. */
const currentTab = (page: Page) =>
  page.evaluate(() => {
    const nav = document.querySelector<HTMLElement>('nav[aria-label="Portal sections"]')!;
    const tab = nav.querySelector<HTMLElement>('[aria-current="page"]')!.getBoundingClientRect();
    return {
      label: nav.querySelector<HTMLElement>('[aria-current="page"]')!.innerText,
      left: tab.left,
      right: tab.right,
      barScrolls: nav.scrollWidth > nav.clientWidth,
      viewport: document.documentElement.clientWidth,
    };
  });

/** Asserts the tab labelled `label` is the current one and lies wholly inside the viewport. */
async function expectCurrentTabInView(page: Page, label: string) {
  await expect.poll(async () => (await currentTab(page)).label).toBe(label);
  const tab = await currentTab(page);
  expect(tab.barScrolls).toBe(true);
  // Layout is in fractions of a pixel, scrolling in whole ones: within half a pixel is inside.
  expect(Math.round(tab.left)).toBeGreaterThanOrEqual(0);
  expect(Math.round(tab.right)).toBeLessThanOrEqual(tab.viewport);
}

describe.skipIf(!hasChromium)('Staff-access notices in the browser', () => {
  let app: TestApp;
  let smtp: SmtpSink;
  let browser: Browser;
  let baseURL: string;
  let mara: Page;
  let chloe: Page;
  let endMail: ParsedMail;

  const pageInNewContext = async (viewport = VIEWPORT) =>
    (await browser.newContext({ baseURL, viewport, locale: 'en-US' })).newPage();

  beforeAll(async () => {
    await buildClient();
    smtp = await startSmtpSink();
    app = await startTestApp({ serveClient: true, config: { SMTP_URL: smtp.url } });
    baseURL = new URL(app.url).origin;
    browser = await launchBrowser();
    mara = await pageInNewContext();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await smtp?.stop();
  });

  it('emails chloe who is viewing her account, why and for how long, when mara starts a staff view', async () => {
    await signIn(mara, 'mara');
    await mara.getByTestId(`view-as-${demo.chloe.email}`).click();
    const dialog = mara.getByTestId('view-as-dialog');
    await dialog.getByLabel('Reason for viewing').fill(VIEW_REASON);
    await chooseScope(dialog, ['Appointments']);
    await dialog.getByTestId('start-staff-view').click();
    await mara.getByRole('navigation', { name: 'Portal sections' }).waitFor();

    const mail = await smtp.waitFor((m) => m.subject === 'Mara Quinn from Tidy Tails is viewing your account');
    expect(mail.to).toMatchObject({ text: demo.chloe.email });
    expect(mail.text).toContain(`Reason given: "${VIEW_REASON}"`);
    expect(mail.text).toContain('read-only, for up to 30 minutes');
  });

  it('scrolls the current tab of the staff view into view on a 390 px screen', async () => {
    await mara.setViewportSize(PHONE);
    await routeTo(mara, '/settings');
    await expectCurrentTabInView(mara, 'Settings');
    await routeTo(mara, '/');
    await expectCurrentTabInView(mara, 'Home');
    await mara.setViewportSize(VIEWPORT);
  });

  it('emails chloe what was viewed and for how long when mara ends the view', async () => {
    await mara.getByRole('link', { name: 'Appointments' }).click();
    await mara.locator('.appointment').first().waitFor();
    await mara.getByTestId('end-session').click();
    await mara.getByRole('navigation', { name: 'Admin sections' }).waitFor();

    endMail = await smtp.waitFor((m) => m.subject === "Mara Quinn's view of your account has ended");
    expect(endMail.to).toMatchObject({ text: demo.chloe.email });
    expect(endMail.text).toMatch(/What was viewed: Mara Quinn viewed .*Appointments \(\d+ appointments\)/);
    expect(endMail.text).toContain('Mara Quinn ended it.');
    expect(endMail.text).toContain(`Reason given: "${VIEW_REASON}"`);
  });

  it('saves a screenshot of the end email as received', async () => {
    const page = await pageInNewContext({ width: 720, height: 520 });
    await page.setContent(
      `<div style="font:14px sans-serif;padding:12px 16px;border-bottom:1px solid #ddd;background:#f6f7f9">
        <div><b>From:</b> ${endMail.from!.text.replace(/</g, '&lt;')}</div>
        <div><b>To:</b> ${demo.chloe.email}</div><div><b>Subject:</b> ${endMail.subject}</div></div>
        <div style="padding:0 16px">${endMail.html}</div>`,
    );
    await page.screenshot({ path: `${SCREENSHOTS}notification-email.png` });
    expect(existsSync(`${SCREENSHOTS}notification-email.png`)).toBe(true);
  });

  it("shows both notices in chloe's Messages, from the salon, and saves a screenshot", async () => {
    chloe = await pageInNewContext();
    await signIn(chloe, 'chloe');
    await chloe.getByRole('link', { name: 'Messages' }).click();
    const started = chloe.getByText(/Mara Quinn from Tidy Tails started viewing your account/);
    const ended = chloe.getByText(/What was viewed: Mara Quinn viewed/);
    await started.waitFor();
    await ended.waitFor();
    await ended.scrollIntoViewIfNeeded();
    await chloe.screenshot({ path: `${SCREENSHOTS}notification-portal-message.png` });
    expect(existsSync(`${SCREENSHOTS}notification-portal-message.png`)).toBe(true);
  });

  it("scrolls the current tab of chloe's own portal into view on a 390 px screen", async () => {
    const phone = await pageInNewContext(PHONE);
    await signIn(phone, 'chloe');
    await phone.goto('/settings');
    await expectCurrentTabInView(phone, 'Settings');
    await routeTo(phone, '/billing');
    await expectCurrentTabInView(phone, 'Billing');
  });
});
