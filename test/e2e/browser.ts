// What the browser tests share: the client build (once for all test files, which vitest runs two
// at a time: one build at a time, skipped when client/dist is newer than its sources), Chromium,
// sign-in, and where screenshots go.
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { PROJECT_ROOT, clientBuildState } from '../../server/scripts/client-build.ts';
import { demo, type DemoAccount } from '../harness.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);
if (!hasChromium)
  console.warn(`Browser tests skipped: no Chromium at ${CHROMIUM_PATH} (install it or set CHROMIUM_PATH).`);

/**
 * The README's screenshots are rewritten only on request (UPDATE_SCREENSHOTS=1), so a test run
 * leaves the work tree clean; otherwise they go to the ignored test-results/.
 */
export const SCREENSHOTS = fileURLToPath(
  new URL(
    process.env.UPDATE_SCREENSHOTS === '1' ? '../../docs/screenshots/' : '../../test-results/screenshots/',
    import.meta.url,
  ),
);

const LOCK = join(PROJECT_ROOT, 'client/.build-lock');
/** A lock older than this was left by a test run that died. */
const STALE_LOCK_MS = 5 * 60_000;

async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * Builds client/dist as `npm run build:client` does, unless it is newer than its sources. Vitest
 * runs with NODE_ENV=test, which Vite would otherwise bake into the bundle (React's development
 * build); the build is the production one.
 */
export function buildClient(): Promise<void> {
  return withBuildLock(async () => {
    if (clientBuildState() === 'fresh') return;
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ root: 'client', configFile: 'client/vite.config.ts', logLevel: 'warn' });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  });
}

/** Headless Chromium; screenshots' folder created. */
export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** Signs a demo account in on the sign-in page and waits for its app (admin or portal). */
export async function signIn(page: Page, account: DemoAccount) {
  await page.goto('/');
  await page.getByLabel('Email').fill(demo[account].email);
  await page.getByLabel('Password').fill(demo[account].password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const customer = account === 'chloe' || account === 'dan' || account === 'dora';
  await page.getByRole('navigation', { name: customer ? 'Portal sections' : 'Admin sections' }).waitFor();
}
