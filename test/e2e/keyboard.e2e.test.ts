// Keyboard only, in headless Chromium on the real app serving the built client: every step below
// is Tab, Shift+Tab, Enter, Space, Escape or typing (signing in and the setup of a second view
// aside). Mara starts a staff view (the dialog keeps focus, the page behind is inert, Escape gives
// focus back to its opener, focus lands on the banner), a read-only action explains itself in
// place; Chloe hears of the view politely and stops it; Max terminates the next; Dan declines one
// request and allows another; Max extends his view and ends it; Mara browses the audit log. What
// screen readers are told is read from the live regions.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, startTestApp, type TestApp } from '../harness.ts';
import { buildClient, hasChromium, launchBrowser, signIn } from './browser.ts';
import { expectEscapeReturnsTo, expectFocusTrapped, hasFocus, politeText, tabTo } from './keyboard.ts';
import { chooseScope } from './scope.ts';

const VIEWPORT = { width: 1280, height: 900 };
const REASON = 'Chloe asked about her next visit';
const READ_ONLY = 'Staff view: read-only. Chloe can do this when signed in.';

describe.skipIf(!hasChromium)('Keyboard-only flows', { timeout: 120_000 }, () => {
  let app: TestApp;
  let browser: Browser;
  let mara: Page;
  let max: Page;
  let chloe: Page;
  let dan: Page;

  const newPage = async () =>
    (await browser.newContext({ baseURL: new URL(app.url).origin, viewport: VIEWPORT, locale: 'en-US' })).newPage();

  /** Setup, with the mouse: a manager asks to view a customer (a view starts, or a request waits). */
  async function askToView(page: Page, email: string, reason: string) {
    await page.goto('/admin/customers');
    await page.getByTestId(`view-as-${email}`).click();
    const dialog = page.getByTestId('view-as-dialog');
    await dialog.getByLabel('Reason for viewing').fill(reason);
    await chooseScope(dialog, ['Appointments']);
    await dialog.getByTestId('start-staff-view').click();
  }

  /** The ended notice has focus, with the role it is announced with. */
  async function expectEndedNoticeFocused(page: Page, role: 'alert' | 'status', text: string) {
    const ended = page.getByTestId('session-ended');
    await ended.waitFor({ timeout: 15_000 });
    await expect.poll(() => hasFocus(ended)).toBe(true);
    expect(await ended.getAttribute('role')).toBe(role);
    await expect.poll(() => ended.innerText()).toContain(text);
  }

  beforeAll(async () => {
    await buildClient();
    app = await startTestApp({ serveClient: true });
    browser = await launchBrowser();
    [mara, max, chloe, dan] = await Promise.all([newPage(), newPage(), newPage(), newPage()]);
    await Promise.all([signIn(mara, 'mara'), signIn(chloe, 'chloe')]);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('the start dialog keeps focus with the page behind inert, and Escape gives focus back to "View as customer"', async () => {
    const viewAs = mara.getByTestId(`view-as-${demo.chloe.email}`);
    await tabTo(mara, viewAs);
    await mara.keyboard.press('Enter');
    const dialog = mara.getByTestId('view-as-dialog');
    await dialog.getByLabel('Reason for viewing').waitFor();
    await expect.poll(() => hasFocus(dialog.getByLabel('Reason for viewing'))).toBe(true);
    const terms = await dialog.getByTestId('start-terms').innerText();
    expect(terms).toContain('The view lasts 30 minutes');
    expect(terms).toContain('Chloe is emailed');
    expect(terms).toContain('sees live who is viewing and why');
    await expectFocusTrapped(mara, dialog);
    await expectEscapeReturnsTo(mara, dialog, viewAs);
  });

  it('starts the view with Enter: focus lands on the banner and the start is announced politely', async () => {
    await mara.keyboard.press('Enter');
    const dialog = mara.getByTestId('view-as-dialog');
    await expect.poll(() => hasFocus(dialog.getByLabel('Reason for viewing'))).toBe(true);
    await mara.keyboard.type(REASON);
    // The view needs Appointments only (the pages this test opens): chosen with Space.
    const appointments = dialog.getByRole('checkbox', { name: 'Appointments', exact: true });
    await tabTo(mara, appointments);
    await mara.keyboard.press('Space');
    await expect.poll(() => appointments.isChecked()).toBe(true);
    await tabTo(mara, dialog.getByTestId('start-staff-view'));
    await mara.keyboard.press('Enter');
    const banner = mara.getByTestId('staff-banner');
    await banner.waitFor();
    await expect.poll(() => hasFocus(banner)).toBe(true);
    await expect
      .poll(() => politeText(mara, 'staff-announcer'))
      .toBe('Staff view started: viewing as Chloe Martin, read-only');
    expect(await mara.getByTestId('staff-alert').textContent()).toBe('');
  });

  it('Book a visit, pressed with Enter under the staff view, opens no form and says why where it is', async () => {
    const nav = mara.getByRole('navigation', { name: 'Portal sections' });
    await tabTo(mara, nav.getByRole('link', { name: 'Appointments' }));
    await mara.keyboard.press('Enter');
    await mara.locator('main h1', { hasText: 'Appointments' }).waitFor();
    const book = mara.getByRole('button', { name: 'Book a visit' }).first();
    await tabTo(mara, book);
    await mara.keyboard.press('Enter');
    const hint = mara.getByTestId('read-only-hint').filter({ hasText: READ_ONLY });
    await hint.waitFor();
    expect(await hint.isVisible()).toBe(true);
    expect(await mara.getByTestId('book-appointment').count()).toBe(0);
    expect(await mara.locator('[role="dialog"]').count()).toBe(0);
  });

  it("Chloe's portal announces the view politely; she keeps her permission and stops it with the keyboard", async () => {
    await expect
      .poll(() => politeText(chloe, 'presence-announcer'))
      .toContain('Mara Quinn from Tidy Tails is viewing your account now. Reason: Chloe asked about her next visit.');
    const notice = chloe.getByTestId('presence-notice');
    await tabTo(chloe, notice.getByRole('checkbox', { name: /Keep my permission/ }));
    await chloe.keyboard.press('Space');
    await tabTo(chloe, notice.getByRole('button', { name: 'Stop this view' }));
    await chloe.keyboard.press('Enter');
    await chloe.getByTestId('stop-confirmation').waitFor();
    await expectEndedNoticeFocused(mara, 'alert', 'Stopped by Chloe Martin');
  });

  it("Max terminates Mara's next view from Active sessions: the dialog keeps focus, Escape returns it, Enter confirms", async () => {
    await askToView(mara, demo.chloe.email, REASON);
    await mara.getByTestId('staff-banner').waitFor();
    await signIn(max, 'max');
    await tabTo(
      max,
      max.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Active sessions' }),
    );
    await max.keyboard.press('Enter');
    const terminate = max
      .locator('tr[data-session-id]')
      .first()
      .getByRole('button', { name: /Terminate/ });
    await tabTo(max, terminate);
    await max.keyboard.press('Enter');
    const dialog = max.getByTestId('terminate-dialog');
    await dialog.waitFor();
    await expectFocusTrapped(max, dialog);
    await expectEscapeReturnsTo(max, dialog, terminate);
    await max.keyboard.press('Enter');
    await expect.poll(() => hasFocus(dialog.getByLabel('Internal note (staff and audit only)'))).toBe(true);
    await max.keyboard.type('Checking the keyboard flow');
    await tabTo(max, dialog.getByTestId('confirm-terminate'));
    await max.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await expectEndedNoticeFocused(mara, 'alert', 'Terminated by Max Okafor');
  });

  it('Dan, who asks to be asked first, hears of a request politely and declines it with the keyboard', async () => {
    await app.services.prisma.customer.update({ where: { email: demo.dan.email }, data: { staffAccess: 'ASK_FIRST' } });
    await signIn(dan, 'dan');
    await askToView(mara, demo.dan.email, 'Dan asked about his invoice');
    await mara.getByTestId('access-request-status').waitFor();
    await expect
      .poll(() => politeText(dan, 'request-announcer'))
      .toContain('Mara Quinn from Tidy Tails asks to view Appointments');
    await tabTo(dan, dan.getByTestId('decline-request'));
    await dan.keyboard.press('Enter');
    await expect.poll(() => politeText(dan, 'request-announcer')).toContain('This request was declined.');
    await mara.keyboard.press('Escape');
  });

  it("he allows Max's request with the keyboard; Max starts with Enter and lands on the banner", async () => {
    await askToView(max, demo.dan.email, 'Dan asked about his invoice');
    await expect
      .poll(() => politeText(dan, 'request-announcer'))
      .toContain('Max Okafor from Tidy Tails asks to view Appointments');
    await tabTo(dan, dan.getByTestId('allow-ONE_HOUR'));
    await dan.keyboard.press('Enter');
    await expect.poll(() => politeText(dan, 'request-announcer')).toContain('You allowed access.');
    const dialog = max.getByTestId('view-as-dialog');
    const start = dialog.getByTestId('start-staff-view');
    await dialog.locator('[data-testid="access-request-status"][data-state="APPROVED"]').waitFor();
    await tabTo(max, start);
    await max.keyboard.press('Enter');
    await expect.poll(() => hasFocus(max.getByTestId('staff-banner'))).toBe(true);
  });

  it('in the last five minutes (announced politely) Max extends with the keyboard: "Extended, N minutes left"', async () => {
    const { IMPERSONATION_DURATION_MINUTES, IMPERSONATION_EXTENSION_WINDOW_MINUTES } = app.services.config;
    app.clock.advance((IMPERSONATION_DURATION_MINUTES - IMPERSONATION_EXTENSION_WINDOW_MINUTES + 1) * 60_000);
    await max.reload();
    const extend = max.getByTestId('extend-session');
    await expect.poll(() => hasFocus(max.getByTestId('staff-banner'))).toBe(true);
    await expect.poll(() => politeText(max, 'staff-announcer')).toBe('Five minutes left in this staff view');
    await tabTo(max, extend);
    await max.keyboard.press('Enter');
    const dialog = max.getByTestId('confirm-extend');
    await dialog.waitFor();
    await expectFocusTrapped(max, dialog);
    await expectEscapeReturnsTo(max, dialog, extend);
    await max.keyboard.press('Enter');
    await tabTo(max, dialog.getByTestId('confirm-extend-button'));
    await max.keyboard.press('Enter');
    await expect.poll(() => politeText(max, 'staff-announcer')).toMatch(/^Extended, \d+ minutes left$/);
    const said = Number(/\d+/.exec(await politeText(max, 'staff-announcer'))![0]);
    const seconds = Number(await max.getByTestId('countdown').getAttribute('data-seconds'));
    expect(Math.abs(said - seconds / 60)).toBeLessThanOrEqual(1);
    expect(said).toBeGreaterThan(30);
  });

  it('the last minute is announced assertively; End with Enter moves focus to the ended notice, read politely', async () => {
    const customer = await app.services.prisma.customer.findUniqueOrThrow({ where: { email: demo.dan.email } });
    const session = await app.services.prisma.impersonationSession.findFirstOrThrow({
      where: { customerId: customer.id, endedAt: null },
    });
    app.clock.advance(session.expiresAt.getTime() - app.clock.now().getTime() - 50_000);
    await max.reload();
    await expect
      .poll(() =>
        max.getByTestId('staff-alert').evaluate((element) => [element.getAttribute('aria-live'), element.textContent]),
      )
      .toEqual(['assertive', 'One minute left in this staff view']);
    await tabTo(max, max.getByTestId('end-session'));
    await max.keyboard.press('Enter');
    await expectEndedNoticeFocused(max, 'status', 'You ended the session.');
  });

  it('Mara browses the audit log with the keyboard: a filter, a staff view’s timeline, an event’s details', async () => {
    await mara.goto('/admin/customers');
    await tabTo(
      mara,
      mara.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Audit log' }),
    );
    await mara.keyboard.press('Enter');
    const customer = mara.getByLabel('Customer');
    await tabTo(mara, customer);
    await mara.keyboard.type('Chloe');
    await expect
      .poll(() => customer.evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.text))
      .toContain('Chloe');
    await tabTo(mara, mara.getByRole('button', { name: 'Apply filters' }));
    await mara.keyboard.press('Enter');
    await mara.waitForURL((url) => url.searchParams.has('customerId'));
    const sessions = mara.getByTestId('audit-sessions');
    const timeline = sessions.getByRole('button', { name: 'Timeline' }).first();
    await tabTo(mara, timeline);
    await mara.keyboard.press('Enter');
    await mara.waitForURL((url) => url.searchParams.has('sessionId'));
    await mara.getByTestId('session-summary').waitFor();
    const details = mara.getByTestId('audit-table').getByRole('button', { name: 'Details' }).first();
    await tabTo(mara, details);
    await mara.keyboard.press('Enter');
    await mara.getByTestId('audit-table').locator('.audit-details').waitFor();
  });
});
