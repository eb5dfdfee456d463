// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  MutatingButton,
  MutatingFieldset,
  MutatingLink,
  READ_ONLY_NOTE_ID,
  ReadOnlyProvider,
  readOnlyMessage,
  useReadOnly,
} from './readOnly.tsx';

const READ_ONLY_MESSAGE = 'Staff view: read-only. Chloe can do this when signed in.';

afterEach(cleanup);

describe('MutatingButton', () => {
  it('works normally for the customer', () => {
    const onClick = vi.fn();
    render(<MutatingButton onClick={onClick}>Pay</MutatingButton>);
    const button = screen.getByRole('button', { name: 'Pay' });
    expect(button.hasAttribute('disabled')).toBe(false);
    expect(button.getAttribute('title')).toBeNull();
    fireEvent.click(button);
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  it('does nothing under a staff view but say why, beside itself, with the reason as tooltip and description', () => {
    const onClick = vi.fn();
    render(
      <ReadOnlyProvider customerName="Chloe Martin">
        <MutatingButton onClick={onClick}>Pay</MutatingButton>
      </ReadOnlyProvider>,
    );
    const button = screen.getByRole('button', { name: 'Pay' });
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(button.hasAttribute('disabled')).toBe(false);
    expect(button.getAttribute('title')).toBe(READ_ONLY_MESSAGE);
    expect(button.getAttribute('aria-describedby')).toBe(READ_ONLY_NOTE_ID);
    expect(document.getElementById(READ_ONLY_NOTE_ID)?.textContent).toBe(READ_ONLY_MESSAGE);
    expect(screen.getByTestId('read-only-hint').textContent).toBe('');
    fireEvent.click(button);
    expect(onClick).not.toHaveBeenCalled();
    expect(screen.getByRole('status').textContent).toBe(READ_ONLY_MESSAGE);
    fireEvent.blur(button);
    expect(screen.getByTestId('read-only-hint').textContent).toBe('');
  });

  it('submits no form under a staff view', () => {
    const onSubmit = vi.fn((event: { preventDefault(): void }) => event.preventDefault());
    render(
      <ReadOnlyProvider customerName="Chloe Martin">
        <form onSubmit={onSubmit}>
          <MutatingButton type="submit">Save</MutatingButton>
        </form>
      </ReadOnlyProvider>,
    );
    const button = screen.getByRole('button', { name: 'Save' });
    expect(button.getAttribute('type')).toBe('button');
    fireEvent.click(button);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('stays read-only under a staff view even when asked to be enabled', () => {
    render(
      <ReadOnlyProvider>
        <MutatingButton disabled={false}>Save</MutatingButton>
      </ReadOnlyProvider>,
    );
    expect(screen.getByRole('button', { name: 'Save' }).getAttribute('aria-disabled')).toBe('true');
  });
});

describe('readOnlyMessage', () => {
  it("names the customer by her first name, or says 'the customer'", () => {
    expect(readOnlyMessage('Chloe Martin')).toBe(READ_ONLY_MESSAGE);
    expect(readOnlyMessage(null)).toBe('Staff view: read-only. The customer can do this when signed in.');
  });
});

describe('MutatingLink', () => {
  it('is a link for the customer and an explaining button under a staff view', () => {
    const { unmount } = render(<MutatingLink href="/appointments?book=1">Book a visit</MutatingLink>);
    expect(screen.getByRole('link', { name: 'Book a visit' }).getAttribute('href')).toBe('/appointments?book=1');
    unmount();
    render(
      <ReadOnlyProvider customerName="Chloe Martin">
        <MutatingLink href="/appointments?book=1">Book a visit</MutatingLink>
      </ReadOnlyProvider>,
    );
    expect(screen.queryByRole('link')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Book a visit' }));
    expect(screen.getByRole('status').textContent).toBe(READ_ONLY_MESSAGE);
  });
});

describe('MutatingFieldset', () => {
  it('disables every field of the form under a staff view, below the reason in words', () => {
    render(
      <ReadOnlyProvider customerName="Chloe Martin">
        <MutatingFieldset>
          <input aria-label="Name" />
          <textarea aria-label="Notes" />
          <input type="checkbox" aria-label="Email me" />
        </MutatingFieldset>
      </ReadOnlyProvider>,
    );
    for (const name of ['Name', 'Notes', 'Email me']) {
      expect((screen.getByLabelText(name) as HTMLInputElement).matches(':disabled')).toBe(true);
    }
    expect(screen.getByRole('group').getAttribute('title')).toBe(READ_ONLY_MESSAGE);
    expect(screen.getByTestId('read-only-note').textContent).toBe(READ_ONLY_MESSAGE);
    expect(screen.getByRole('group', { description: READ_ONLY_MESSAGE })).toBeTruthy();
  });

  it('leaves the fields alone for the customer', () => {
    render(
      <MutatingFieldset>
        <input aria-label="Name" />
      </MutatingFieldset>,
    );
    expect((screen.getByLabelText('Name') as HTMLInputElement).matches(':disabled')).toBe(false);
  });
});

describe('useReadOnly', () => {
  function Probe() {
    const { readOnly, reason } = useReadOnly();
    return <p>{readOnly ? reason : 'editable'}</p>;
  }

  it('tells components why they are read-only', () => {
    render(
      <ReadOnlyProvider customerName="Chloe Martin">
        <Probe />
      </ReadOnlyProvider>,
    );
    expect(screen.getAllByText(READ_ONLY_MESSAGE)).toHaveLength(2);
  });

  it('is off outside a staff view', () => {
    render(<Probe />);
    expect(screen.getByText('editable')).toBeTruthy();
  });
});
