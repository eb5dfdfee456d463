// The staff view end to end in headless Chromium, on the real app serving the built client: a
// manager views a customer's portal (banner, border, watermark, read-only controls, a forced write
// refused), a second manager terminates the session from another browser, the first is sent back
// to the admin app at once, the audit log shows the refused write and the session's summary, and
// the customer reads the view in plain words in her Settings. Saves the README's screenshots on the
// way. Skipped, with a notice, where there is no Chromium.
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, startTestApp, type TestApp } from '../harness.ts';
import { SCREENSHOTS, buildClient, hasChromium, launchBrowser, signIn } from './browser.ts';
import { chooseScope } from './scope.ts';

const VIEWPORT = { width: 1360, height: 900 };
const VIEW_REASON = 'Chloe called about her next visit for Biscuit';
const TERMINATE_REASON = 'No open ticket for this customer';
const READ_ONLY = 'Staff view: read-only. Chloe can do this when signed in.';
const AMBER = 'rgb(245, 158, 11)';

/** The impersonation token where the client keeps it (client/src/auth/tokenStore.ts). */
const storedStaffView = (page: Page) =>
  page.evaluate(
    () =>
      JSON.parse(sessionStorage.getItem('salon.impersonation') ?? 'null') as {
        token: string;
        sessionId: string;
      } | null,
  );

/** What `position: fixed; inset: 0` covers: the viewport less any scrollbar. */
const layoutViewport = (page: Page) =>
  page.evaluate(() => ({
    x: 0,
    y: 0,
    width: document.documentElement.clientWidth,
    height: document.documentElement.clientHeight,
  }));

/** The client sends persisted operations: the operation name and a hash, no query text. */
const isOperation = (name: string) => (body: string | null | undefined) =>
  Boolean(body?.includes(`"operationName":"${name}"`));
const isBookAppointment = isOperation('BookAppointment');

describe.skipIf(!hasChromium)('A manager viewing a customer in the browser', () => {
  let app: TestApp;
  let browser: Browser;
  let mara: Page;
  let max: Page;
  let sessionId: string;
  let baseURL: string;

  const chloeAppointments = async () => {
    const chloe = await app.services.prisma.customer.findUniqueOrThrow({ where: { email: demo.chloe.email } });
    return app.services.prisma.appointment.count({ where: { customerId: chloe.id } });
  };

  /** A page in a context of its own: its own storage, as another person's browser. */
  const pageInNewContext = async () =>
    (await browser.newContext({ baseURL, viewport: VIEWPORT, locale: 'en-US' })).newPage();

  beforeAll(async () => {
    await buildClient();
    app = await startTestApp({ serveClient: true });
    baseURL = new URL(app.url).origin;
    browser = await launchBrowser();
    mara = await pageInNewContext();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('signs mara in and opens the admin app on the customer directory', async () => {
    await signIn(mara, 'mara');
    expect(new URL(mara.url()).pathname).toBe('/admin/customers');
    await mara.getByRole('table', { name: 'Customers' }).waitFor();
    expect(await mara.locator('.admin-header__name').innerText()).toContain('Mara Quinn');
  });

  it('starts a staff view of chloe from "View as customer" once a reason is given', async () => {
    await mara.getByTestId(`view-as-${demo.chloe.email}`).click();
    const dialog = mara.getByTestId('view-as-dialog');
    await dialog.getByLabel('Reason for viewing').fill(VIEW_REASON);
    await chooseScope(dialog, ['Appointments']);
    await dialog.getByTestId('start-staff-view').click();
    await mara.getByRole('navigation', { name: 'Portal sections' }).waitFor();

    const stored = await storedStaffView(mara);
    expect(stored).not.toBeNull();
    sessionId = stored!.sessionId;
    await expect.poll(() => mara.locator('.portal-header__name').innerText(), { timeout: 15_000 }).toBe('Chloe Martin');
  });

  it("shows the STAFF VIEW banner with chloe's name, fixed at the top while the page scrolls", async () => {
    await mara.getByRole('link', { name: 'Appointments' }).click();
    await mara.locator('main h1', { hasText: 'Appointments' }).waitFor();
    const banner = mara.getByTestId('staff-banner');
    await expect.poll(() => banner.innerText()).toContain('Chloe Martin');
    expect(await banner.innerText()).toContain('STAFF VIEW');
    expect(await banner.evaluate((el) => getComputedStyle(el).position)).toBe('fixed');

    const scrolled = await mara.evaluate(() => {
      window.scrollTo(0, document.documentElement.scrollHeight);
      return window.scrollY;
    });
    expect(scrolled).toBeGreaterThan(0);
    expect(await banner.evaluate((el) => el.getBoundingClientRect().top)).toBe(0);
    expect(await banner.isVisible()).toBe(true);
    await mara.evaluate(() => window.scrollTo(0, 0));
  });

  it('draws a fixed 3px amber border round the viewport', async () => {
    const border = mara.getByTestId('staff-border');
    const style = await border.evaluate((el) => {
      const s = getComputedStyle(el);
      return {
        position: s.position,
        width: s.borderTopWidth,
        color: s.borderTopColor,
        left: s.borderLeftWidth,
        pointerEvents: s.pointerEvents,
      };
    });
    expect(style).toEqual({ position: 'fixed', width: '3px', color: AMBER, left: '3px', pointerEvents: 'none' });
    expect(await border.boundingBox()).toEqual(await layoutViewport(mara));
  });

  it('lays a fixed STAFF VIEW watermark over the whole portal without catching clicks', async () => {
    const watermark = mara.getByTestId('staff-watermark');
    expect(await watermark.isVisible()).toBe(true);
    const style = await watermark.evaluate((el) => {
      const s = getComputedStyle(el);
      return {
        position: s.position,
        pointerEvents: s.pointerEvents,
        opacity: Number(s.opacity),
        image: s.backgroundImage,
      };
    });
    expect(style).toMatchObject({ position: 'fixed', pointerEvents: 'none' });
    expect(style.opacity).toBeGreaterThan(0);
    expect(style.image).toContain('STAFF VIEW');
    expect(await watermark.boundingBox()).toEqual(await layoutViewport(mara));
  });

  it('puts the banner back when it is deleted from the page, hides nothing for long, and the audit records the tampering', async () => {
    const tamperedRecords = () =>
      app.services.prisma.auditEvent.findMany({
        where: { sessionId, action: 'STAFF_VIEW_TAMPERED' },
        orderBy: { id: 'asc' },
      });
    const before = (await tamperedRecords()).length;

    // What someone would do from the developer tools: delete the banner, hide the watermark.
    await mara.evaluate(() => document.querySelector('[data-testid="staff-banner"]')?.remove());
    await mara.evaluate(() => {
      const watermark = document.querySelector<HTMLElement>('[data-testid="staff-watermark"]');
      if (watermark) watermark.style.setProperty('display', 'none', 'important');
    });

    const banner = mara.getByTestId('staff-banner');
    await banner.waitFor({ state: 'visible' });
    expect(await banner.innerText()).toContain('Chloe Martin');
    await mara.getByTestId('staff-watermark').waitFor({ state: 'visible' });
    expect(await mara.getByTestId('staff-watermark').evaluate((el) => getComputedStyle(el).display)).not.toBe('none');

    // One incident, or two when a check ran between the two changes (tampering.e2e.test.ts has each way).
    await expect
      .poll(async () => (await tamperedRecords()).length, { timeout: 5000 })
      .toBeGreaterThanOrEqual(before + 1);
    const records = (await tamperedRecords()).slice(before);
    expect(records.map((record) => record.reason).join(' ')).toContain('BANNER');
    for (const record of records) {
      expect(record).toMatchObject({ outcome: 'DENIED', staffId: expect.any(String), customerId: expect.any(String) });
    }
  });

  it('opens no booking form from Book a visit: it says why where it is, the same words as its tooltip', async () => {
    const book = mara.getByRole('button', { name: 'Book a visit' }).first();
    expect(await book.getAttribute('aria-disabled')).toBe('true');
    expect(await book.getAttribute('title')).toBe(READ_ONLY);
    // The portal takes clicks again once the marks are back (the test above hid them).
    await mara.getByTestId('marks-hidden-notice').waitFor({ state: 'detached' });
    // Playwright waits for an aria-disabled button to become enabled; a person can press it at once.
    await book.click({ force: true });
    const hint = mara.getByTestId('read-only-hint').filter({ hasText: READ_ONLY });
    await hint.waitFor();
    expect(await hint.isVisible()).toBe(true);
    expect(await mara.getByTestId('book-appointment').count()).toBe(0);
  });

  it('refuses a bookAppointment sent from the page with the staff view token (FORBIDDEN, IMPERSONATION_READ_ONLY)', async () => {
    const chloe = await app.services.prisma.customer.findUniqueOrThrow({
      where: { email: demo.chloe.email },
      include: { pets: true },
    });
    const service = await app.services.prisma.service.findFirstOrThrow({ where: { name: 'Full Groom' } });
    const before = await chloeAppointments();
    const input = {
      petId: chloe.pets[0]!.id,
      serviceId: service.id,
      startsAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    };

    const answer = await mara.evaluate(
      async (variables) => {
        const { token } = JSON.parse(sessionStorage.getItem('salon.impersonation')!) as { token: string };
        const response = await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            operationName: 'ForcedBooking',
            query: 'mutation ForcedBooking($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
            variables,
          }),
        });
        return (await response.json()) as {
          data: unknown;
          errors?: { extensions?: { code?: string; reason?: string } }[];
        };
      },
      { input },
    );

    expect(answer.data).toBeNull();
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'IMPERSONATION_READ_ONLY' });
    expect(await chloeAppointments()).toBe(before);
  });

  it('sends nothing from Book a visit forced back on: under a staff view the button has no action to force', async () => {
    const sent: string[] = [];
    mara.on('request', (request) => {
      if (request.method() === 'POST' && isBookAppointment(request.postData())) sent.push(request.url());
    });
    const book = mara.getByRole('button', { name: 'Book a visit' }).first();
    // What someone with the browser's developer tools would do: drop what marks it read-only.
    await book.evaluate((button) => {
      button.removeAttribute('aria-disabled');
      button.removeAttribute('data-read-only');
    });
    await book.click();
    expect(await mara.getByTestId('book-appointment').count()).toBe(0);
    expect(sent).toEqual([]);
    await book.evaluate((button) => {
      button.setAttribute('aria-disabled', 'true');
      button.setAttribute('data-read-only', 'true');
    });
  });

  it('saves a screenshot of the staff view of the Appointments page', async () => {
    // Book a visit pressed, as the staff member sees it: the page says why nothing opens.
    await mara.getByRole('button', { name: 'Book a visit' }).first().click({ force: true });
    await mara.getByTestId('read-only-hint').filter({ hasText: READ_ONLY }).waitFor();
    // The test server's clock stands still; wait out the moment after a tick when the banner reads 30:01.
    await mara.waitForFunction(
      () => Number(document.querySelector<HTMLElement>('[data-testid="countdown"]')?.dataset.seconds) <= 1800,
    );
    await mara.evaluate(() => window.scrollTo(0, 0));
    await mara.screenshot({ path: `${SCREENSHOTS}impersonated-portal.png` });
    expect(existsSync(`${SCREENSHOTS}impersonated-portal.png`)).toBe(true);
  });

  it("lists mara's session in the Active sessions view of max, signed in in another browser", async () => {
    max = await pageInNewContext();
    await signIn(max, 'max');
    await max.getByRole('link', { name: 'Active sessions' }).click();
    const row = max.locator(`tr[data-session-id="${sessionId}"]`);
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('Mara Quinn');
    expect(text).toContain('Chloe Martin');
    expect(text).toContain(VIEW_REASON);
    expect(await max.getByTestId(`terminate-${sessionId}`).isEnabled()).toBe(true);
  });

  it('saves a screenshot of the Active sessions view', async () => {
    await max.screenshot({ path: `${SCREENSHOTS}active-sessions.png` });
    expect(existsSync(`${SCREENSHOTS}active-sessions.png`)).toBe(true);
  });

  it("shows mara the end, with max's reason, within a second of max terminating the session", async () => {
    await max.getByTestId(`terminate-${sessionId}`).click();
    const dialog = max.getByTestId('terminate-dialog');
    await dialog.getByLabel('Internal note (staff and audit only)').fill(TERMINATE_REASON);
    const terminated = max.waitForResponse((response) =>
      isOperation('TerminateStaffView')(response.request().postData()),
    );
    await dialog.getByTestId('confirm-terminate').click();
    const response = await terminated;
    await response.finished();
    const completedAt = Date.now();

    const ended = await mara.waitForSelector('[data-testid="session-ended"]', { timeout: 1000 });
    expect(Date.now() - completedAt).toBeLessThan(1000);
    expect(await ended.innerText()).toContain(TERMINATE_REASON);
    await expect.poll(() => ended.innerText()).toContain('Terminated by Max Okafor');
  });

  it('returns mara to the admin app with no portal data left on screen', async () => {
    await mara.getByRole('navigation', { name: 'Admin sections' }).waitFor();
    expect(new URL(mara.url()).pathname).toBe('/admin/customers');
    for (const selector of [
      '[data-testid="staff-banner"]',
      '[data-testid="staff-border"]',
      '[data-testid="staff-watermark"]',
      '.portal',
      '.appointment',
    ]) {
      expect(await mara.locator(selector).count(), selector).toBe(0);
    }
    expect(await storedStaffView(mara)).toBeNull();
  });

  it("shows the refused bookAppointment in mara's audit log filtered to Denied", async () => {
    await mara.getByRole('link', { name: 'Audit log' }).click();
    await mara.getByLabel('Outcome').selectOption('DENIED');
    await mara.getByRole('button', { name: 'Apply filters' }).click();
    await mara.waitForURL((url) => url.searchParams.get('outcome') === 'DENIED');

    // Staff views first: the session, with its refused attempts counted.
    const summary = mara.locator(`[data-testid="audit-sessions"] tr[data-session-id="${sessionId}"]`);
    await summary.waitFor();
    expect(await summary.innerText()).toMatch(/\d+ refused/);

    await mara.getByRole('link', { name: 'All events' }).click();
    await mara.waitForURL((url) => url.searchParams.get('view') === 'events');
    const table = mara.getByTestId('audit-table');
    const denied = table.locator('.audit-row--denied', { hasText: 'Refused: change on Appointments' });
    await denied.first().waitFor();
    const rows = await denied.allInnerTexts();
    expect(rows).toHaveLength(1);
    for (const row of rows) {
      expect(row).toContain('Denied');
      expect(row).toContain('FORBIDDEN');
      expect(row).toContain('Mara Quinn');
      expect(row).toContain('Chloe Martin');
      expect(row).not.toContain('BookAppointment');
    }
    expect(await table.locator('.audit-row:not(.audit-row--denied)').count()).toBe(0);

    // The operations as sent are in each row's details (one open at a time).
    const operations: string[] = [];
    for (let index = 0; index < rows.length; index += 1) {
      await denied.nth(index).getByRole('button', { name: 'Details' }).click();
      operations.push(await table.locator('.audit-details').innerText());
    }
    expect(operations.some((text) => text.includes('mutation ForcedBooking'))).toBe(true);
  });

  it("saves a screenshot of the session's summary: pages viewed in portal names, local times, how it ended", async () => {
    await mara.getByRole('button', { name: 'Clear filters' }).click();
    const summaryRow = mara.locator(`[data-testid="audit-sessions"] tr[data-session-id="${sessionId}"]`);
    await summaryRow.getByRole('button', { name: 'Timeline' }).click();
    await mara.waitForURL((url) => url.searchParams.get('sessionId') === sessionId);
    const card = mara.getByTestId('session-summary');
    await expect.poll(() => card.innerText()).toContain('Terminated by Max Okafor');
    const text = await card.innerText();
    expect(text).toContain('Appointments');
    expect(text).toContain(VIEW_REASON);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    await mara.getByTestId('audit-table').locator('.audit-row').first().waitFor();
    await mara.screenshot({ path: `${SCREENSHOTS}audit-session-summary.png` });
    expect(existsSync(`${SCREENSHOTS}audit-session-summary.png`)).toBe(true);
  });

  it("shows chloe, in her Settings, mara's view in plain words with its reason, without max's internal note, and saves a screenshot", async () => {
    const chloe = await pageInNewContext();
    await chloe.goto('/');
    await chloe.getByLabel('Email').fill(demo.chloe.email);
    await chloe.getByLabel('Password').fill(demo.chloe.password);
    await chloe.getByRole('button', { name: 'Sign in' }).click();
    await chloe.getByRole('navigation', { name: 'Portal sections' }).waitFor();
    await chloe.getByRole('link', { name: 'Settings' }).click();
    const log = chloe.getByTestId('staff-access-log');
    const entry = log.getByTestId('staff-access-entry').first();
    await entry.waitFor();
    const text = await entry.innerText();
    expect(text).toMatch(/^.*Mara Quinn viewed .*Appointments/m);
    expect(text).toContain(VIEW_REASON);
    expect(text).toContain('Ended early by a salon manager');
    // Max's reason is an internal note (staff and audit only): it never reaches the customer.
    expect(text).not.toContain(TERMINATE_REASON);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    await log.scrollIntoViewIfNeeded();
    await chloe.screenshot({ path: `${SCREENSHOTS}customer-access-log.png` });
    expect(existsSync(`${SCREENSHOTS}customer-access-log.png`)).toBe(true);
  });
});
