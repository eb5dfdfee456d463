// @vitest-environment jsdom
// Every portal section under a staff view: each control that would change customer data is
// disabled with the reason, and pressing every control that is still enabled (tabs, dialogs,
// navigation within the page) never sends a mutation.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Provider } from 'urql';
import { SessionContext, type SessionApi } from '../auth/session.tsx';
import { READ_ONLY_MESSAGE, ReadOnlyProvider } from '../impersonation/readOnly.tsx';
import { mockClient } from '../testing/mockClient.ts';
import { portalFixtures } from '../testing/portalFixtures.ts';
import { PORTAL_SECTIONS, PortalApp } from './PortalApp.tsx';

afterEach(() => {
  cleanup();
  window.history.replaceState(null, '', '/');
});

const sessionOf = (readOnly: boolean) =>
  ({
    signOut: () => undefined,
    session: readOnly
      ? { kind: 'IMPERSONATION', token: 'imp', staffToken: 'staff', sessionId: 'imp-1' }
      : { kind: 'CUSTOMER', token: 'c' },
  }) as unknown as SessionApi;

function renderPortal(path: string, readOnly: boolean) {
  window.history.replaceState(null, '', path);
  const mock = mockClient(portalFixtures);
  const portal = <PortalApp />;
  render(
    <SessionContext.Provider value={sessionOf(readOnly)}>
      <Provider value={mock.client}>{readOnly ? <ReadOnlyProvider>{portal}</ReadOnlyProvider> : portal}</Provider>
    </SessionContext.Provider>,
  );
  return mock;
}

/**
 * Clicks every enabled button once (by label), re-reading the page after each click so dialogs
 * and forms that open are explored too. Open dialogs come first, and buttons are taken from the
 * end so a form's own action is pressed before its Cancel or Close.
 */
function pressEverything(): Set<string> {
  const pressed = new Set<string>();
  const enabled = (root: ParentNode) =>
    [...root.querySelectorAll<HTMLButtonElement>('button:not(:disabled)')].reverse();
  for (let step = 0; step < 200; step += 1) {
    const dialog = document.querySelector('[role="dialog"]');
    const main = document.querySelector('main');
    const candidates = [...(dialog ? enabled(dialog) : []), ...(main ? enabled(main) : [])];
    const next = candidates.find((button) => !pressed.has(button.textContent ?? ''));
    if (!next) break;
    pressed.add(next.textContent ?? '');
    act(() => void fireEvent.click(next));
  }
  return pressed;
}

const submitButtons = () => [...document.querySelectorAll<HTMLButtonElement>('button[type="submit"]')];

describe.each(PORTAL_SECTIONS.map((s) => [s.label, s.href] as const))('%s under a staff view', (_label, href) => {
  it('sends no mutation whatever is pressed', async () => {
    const mock = renderPortal(href, true);
    await screen.findByRole('heading', { level: 1 });
    pressEverything();
    expect(mock.mutations).toEqual([]);
  });

  it('disables every submit button and form field with the reason', async () => {
    renderPortal(href, true);
    await screen.findByRole('heading', { level: 1 });
    pressEverything();
    for (const button of submitButtons()) {
      expect(button.disabled).toBe(true);
      expect(button.title).toBe(READ_ONLY_MESSAGE);
    }
    for (const field of document.querySelectorAll<HTMLInputElement>(
      'main form input, main form textarea, main form select',
    )) {
      expect(field.matches(':disabled')).toBe(true);
    }
  });
});

describe('read-only controls across the portal', () => {
  it('disables the booking submit with its tooltip', async () => {
    renderPortal('/appointments?book=1', true);
    const book = await screen.findByTestId('book-appointment');
    expect((book as HTMLButtonElement).disabled).toBe(true);
    expect(book.getAttribute('title')).toBe(READ_ONLY_MESSAGE);
    expect(book.getAttribute('aria-describedby')).toBe('read-only-note');
  });

  it('disables confirm, sign out and the dialogs’ actions', async () => {
    renderPortal('/appointments', true);
    await screen.findByText('Biscuit · Full Groom', { selector: 'h2' });
    expect(screen.getByRole('button', { name: 'Confirm' }).hasAttribute('disabled')).toBe(true);
    expect(screen.getByRole('button', { name: /Sign out/ }).hasAttribute('disabled')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel visit' }));
    expect(screen.getByRole('dialog').querySelector<HTMLButtonElement>('[data-read-only]')?.textContent).toBe(
      'Cancel visit',
    );
    expect(screen.getByRole('dialog').querySelector<HTMLButtonElement>('[data-read-only]')?.disabled).toBe(true);
  });

  it('leaves the same controls enabled for the customer', async () => {
    renderPortal('/appointments?book=1', false);
    const book = await screen.findByTestId('book-appointment');
    expect((book as HTMLButtonElement).disabled).toBe(false);
    expect(screen.getByRole('button', { name: 'Confirm' }).hasAttribute('disabled')).toBe(false);
  });
});
