// @vitest-environment jsdom
// Every portal section under a staff view: each control that would change customer data, or open a
// form that would, does nothing but say why where it is, no form or dialog that could change
// anything opens, and pressing every control (tabs, navigation within the page, the read-only ones)
// never sends a mutation.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Provider } from 'urql';
import { SessionContext, type SessionApi } from '../auth/session.tsx';
import { ReadOnlyProvider } from '../impersonation/readOnly.tsx';
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
      <Provider value={mock.client}>
        {readOnly ? <ReadOnlyProvider customerName="Chloe Martin">{portal}</ReadOnlyProvider> : portal}
      </Provider>
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

const READ_ONLY_MESSAGE = 'Staff view: read-only. Chloe can do this when signed in.';
const submitButtons = () => [...document.querySelectorAll<HTMLButtonElement>('button[type="submit"]')];

describe.each(PORTAL_SECTIONS.map((s) => [s.label, s.href] as const))('%s under a staff view', (_label, href) => {
  it('sends no mutation whatever is pressed', async () => {
    const mock = renderPortal(href, true);
    await screen.findByRole('heading', { level: 1 });
    pressEverything();
    expect(mock.mutations).toEqual([]);
  });

  it('opens no dialog and leaves no submit button or form field usable', async () => {
    renderPortal(href, true);
    await screen.findByRole('heading', { level: 1 });
    pressEverything();
    expect(document.querySelector('[role="dialog"]')).toBeNull();
    expect(submitButtons()).toEqual([]);
    for (const field of document.querySelectorAll<HTMLInputElement>(
      'main form input, main form textarea, main form select',
    )) {
      expect(field.matches(':disabled')).toBe(true);
    }
  });
});

describe('read-only controls across the portal', () => {
  it('opens no booking form, from the button or from a link to it, and says why where it was pressed', async () => {
    renderPortal('/appointments?book=1', true);
    await screen.findByText('Biscuit · Full Groom', { selector: 'h2' });
    expect(screen.queryByTestId('book-appointment')).toBeNull();
    const book = screen.getByRole('button', { name: 'Book a visit' });
    expect(book.getAttribute('aria-disabled')).toBe('true');
    expect(book.getAttribute('title')).toBe(READ_ONLY_MESSAGE);
    fireEvent.click(book);
    expect(screen.queryByTestId('book-appointment')).toBeNull();
    expect(book.parentElement?.textContent).toContain(READ_ONLY_MESSAGE);
  });

  it('explains confirm, sign out, reschedule, notes and cancel in place, and opens none of their dialogs', async () => {
    renderPortal('/appointments', true);
    await screen.findByText('Biscuit · Full Groom', { selector: 'h2' });
    for (const name of ['Confirm', /Sign out/, 'Reschedule', /notes/, 'Cancel visit']) {
      const button = screen.getAllByRole('button', { name })[0]!;
      expect(button.getAttribute('aria-disabled')).toBe('true');
      fireEvent.click(button);
      expect(screen.queryByRole('dialog')).toBeNull();
      expect(button.parentElement?.querySelector('[role="status"]')?.textContent).toBe(READ_ONLY_MESSAGE);
      fireEvent.blur(button);
    }
  });

  it('leaves the same controls working for the customer', async () => {
    renderPortal('/appointments?book=1', false);
    const book = await screen.findByTestId('book-appointment');
    expect((book as HTMLButtonElement).disabled).toBe(false);
    expect(screen.getByRole('button', { name: 'Confirm' }).hasAttribute('aria-disabled')).toBe(false);
    fireEvent.click(screen.getAllByRole('button', { name: 'Cancel visit' })[0]!);
    expect(screen.getByRole('dialog')).toBeTruthy();
  });
});
