// Hidden staff-view marks in headless Chromium: Mara hides the banner, border or watermark of her
// staff view in each of nine ways someone could from the developer tools; each is noticed within
// 2 s (her portal is blurred), recorded as one incident, shown live on Max's Active sessions page in
// another browser, and counted in the session's summary. With a limit of one, the first incident
// ends the view and sends her back to the admin app. Skipped, with a notice, where there is no Chromium.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, startTestApp, type TestApp } from '../harness.ts';
import { buildClient, hasChromium, launchBrowser, signIn } from './browser.ts';
import { chooseScope } from './scope.ts';

const VIEWPORT = { width: 1360, height: 900 };
const REASON = 'Chloe asked about her invoice for Biscuit';
const DETECTED_WITHIN_MS = 2000;

/** What someone could do from the developer tools, run in the staff view's page; `undo` takes it away again. */
const TECHNIQUES: { name: string; hide: string; undo?: string }[] = [
  { name: 'removing the banner', hide: `document.querySelector('[data-testid="staff-banner"]').remove()` },
  {
    name: 'display: none',
    hide: `document.querySelector('[data-testid="staff-banner"]').style.setProperty('display', 'none', 'important')`,
  },
  {
    name: 'an injected visibility: hidden stylesheet',
    hide: `(() => { const s = document.createElement('style'); s.id = 'tamper'; s.textContent = '[data-testid="staff-banner"] { visibility: hidden !important }'; document.head.append(s); })()`,
    undo: `document.getElementById('tamper').remove()`,
  },
  {
    name: 'moving the banner off screen with transform',
    hide: `document.querySelector('[data-testid="staff-banner"]').style.transform = 'translateY(-500px)'`,
  },
  { name: 'opacity 0.06', hide: `document.querySelector('[data-testid="staff-banner"]').style.opacity = '0.06'` },
  {
    name: 'a white overlay on top',
    hide: `(() => { const o = document.createElement('div'); o.id = 'tamper'; Object.assign(o.style, { position: 'fixed', top: '0', left: '0', right: '0', height: '120px', background: 'white', zIndex: '2147483647' }); document.body.append(o); })()`,
    undo: `document.getElementById('tamper').remove()`,
  },
  {
    name: 'clip-path',
    hide: `document.querySelector('[data-testid="staff-banner"]').style.clipPath = 'inset(0 0 100% 0)'`,
  },
  {
    name: 'a transparent border',
    hide: `document.querySelector('[data-testid="staff-border"]').style.borderColor = 'transparent'`,
  },
  {
    name: 'a removed watermark image',
    hide: `document.querySelector('[data-testid="staff-watermark"]').style.backgroundImage = 'none'`,
  },
];

describe.skipIf(!hasChromium)('Hidden staff-view marks in the browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    await buildClient();
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  });

  /** A page in a context of its own: its own storage, as another person's browser. */
  const pageAt = async (app: TestApp) =>
    (await browser.newContext({ baseURL: new URL(app.url).origin, viewport: VIEWPORT, locale: 'en-US' })).newPage();

  /** Mara opens a staff view of Chloe; its session id. */
  async function startStaffView(mara: Page): Promise<string> {
    await signIn(mara, 'mara');
    await mara.getByTestId(`view-as-${demo.chloe.email}`).click();
    const dialog = mara.getByTestId('view-as-dialog');
    await dialog.getByLabel('Reason for viewing').fill(REASON);
    await chooseScope(dialog, ['Appointments']);
    await dialog.getByTestId('start-staff-view').click();
    await mara.getByRole('navigation', { name: 'Portal sections' }).waitFor();
    await mara.getByTestId('staff-banner').waitFor();
    const stored = await mara.evaluate(() => sessionStorage.getItem('salon.impersonation'));
    return (JSON.parse(stored!) as { sessionId: string }).sessionId;
  }

  const portalFilter = (mara: Page) =>
    mara.getByTestId('staff-view-portal').evaluate((portal) => getComputedStyle(portal).filter);

  describe('each way of hiding a mark', () => {
    let app: TestApp;
    let mara: Page;
    let max: Page;
    let sessionId: string;
    const incidents = async () =>
      (await app.services.prisma.impersonationSession.findUniqueOrThrow({ where: { id: sessionId } })).tamperIncidents;

    beforeAll(async () => {
      // A high limit: the view lasts through all nine; the gap 0, each is an incident of its own.
      app = await startTestApp({
        serveClient: true,
        config: { STAFF_VIEW_TAMPER_LIMIT: 100, STAFF_VIEW_TAMPER_GAP_SECONDS: 0 },
      });
      mara = await pageAt(app);
      max = await pageAt(app);
      sessionId = await startStaffView(mara);
      await signIn(max, 'max');
      await max.goto('/admin/sessions');
      await max.locator(`tr[data-session-id="${sessionId}"]`).waitFor();
    }, 120_000);
    afterAll(async () => {
      await app?.close();
    });

    it('shows the portal unblurred while the marks are in place', async () => {
      expect(await portalFilter(mara)).toBe('none');
      expect(await incidents()).toBe(0);
    });

    for (const [index, technique] of TECHNIQUES.entries()) {
      it(`notices ${technique.name} within 2 s, blurs the portal, and Max sees incident ${index + 1} live`, async () => {
        const started = Date.now();
        await mara.evaluate(technique.hide);
        await expect.poll(() => portalFilter(mara), { timeout: DETECTED_WITHIN_MS, interval: 50 }).toContain('blur');
        expect(Date.now() - started).toBeLessThan(DETECTED_WITHIN_MS);
        expect(await mara.getByTestId('marks-hidden-notice').isVisible()).toBe(true);

        await expect.poll(incidents, { timeout: 5000 }).toBe(index + 1);
        await expect
          .poll(() => max.getByTestId(`tampering-${sessionId}`).textContent(), { timeout: 5000 })
          .toBe(`Tampering: ${index + 1}`);

        if (technique.undo) await mara.evaluate(technique.undo);
        await expect.poll(() => portalFilter(mara), { timeout: 5000 }).toBe('none');
        await mara.getByTestId('staff-banner').waitFor({ state: 'visible' });
        expect(await incidents()).toBe(index + 1);
      });
    }

    it('counts the incidents in the session summary, apart from refused attempts', async () => {
      await max.goto(`/admin/audit?sessionId=${encodeURIComponent(sessionId)}`);
      const summary = max.getByTestId('session-summary');
      await expect
        .poll(() => summary.getByTestId('tamper-incidents').textContent(), { timeout: 5000 })
        .toBe(`${TECHNIQUES.length} incidents`);
      expect(await summary.innerText()).toMatch(/Refused attempts\s+None/i);
      const records = await app.services.prisma.auditEvent.count({
        where: { sessionId, action: 'STAFF_VIEW_TAMPERED' },
      });
      expect(records).toBe(TECHNIQUES.length);
    });
  });

  describe('the limit', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ serveClient: true, config: { STAFF_VIEW_TAMPER_LIMIT: 1 } });
    }, 120_000);
    afterAll(async () => {
      await app?.close();
    });

    it('ends the view at the limit and sends the staff member back to the admin app, saying why', async () => {
      const mara = await pageAt(app);
      const sessionId = await startStaffView(mara);
      await mara.evaluate(TECHNIQUES[4]!.hide);
      await mara.getByRole('navigation', { name: 'Admin sections' }).waitFor({ timeout: 5000 });
      // The notice first says what the portal saw (the socket's close), then the session's own record
      // once it has loaded: wait for the record's words (under CI's load the read takes a moment).
      await mara
        .getByTestId('session-ended')
        .filter({ hasText: "Ended automatically: the staff view's" })
        .waitFor({ timeout: 10_000 });
      const session = await app.services.prisma.impersonationSession.findUniqueOrThrow({ where: { id: sessionId } });
      expect(session.endState).toBe('TAMPERED');
    }, 60_000);
  });
});
