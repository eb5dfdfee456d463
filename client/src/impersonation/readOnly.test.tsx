// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  MutatingButton,
  MutatingFieldset,
  READ_ONLY_MESSAGE,
  READ_ONLY_NOTE_ID,
  ReadOnlyProvider,
  useReadOnly,
} from './readOnly.tsx';

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

  it('is disabled under a staff view, with the reason as tooltip and description', () => {
    const onClick = vi.fn();
    render(
      <ReadOnlyProvider>
        <MutatingButton onClick={onClick}>Pay</MutatingButton>
      </ReadOnlyProvider>,
    );
    const button = screen.getByRole('button', { name: 'Pay' });
    expect(button.hasAttribute('disabled')).toBe(true);
    expect(button.getAttribute('title')).toBe(READ_ONLY_MESSAGE);
    expect(button.getAttribute('aria-describedby')).toBe(READ_ONLY_NOTE_ID);
    expect(document.getElementById(READ_ONLY_NOTE_ID)?.textContent).toBe(READ_ONLY_MESSAGE);
    fireEvent.click(button);
    expect(onClick).not.toHaveBeenCalled();
  });

  it('stays disabled under a staff view even when asked to be enabled', () => {
    render(
      <ReadOnlyProvider>
        <MutatingButton disabled={false}>Save</MutatingButton>
      </ReadOnlyProvider>,
    );
    expect(screen.getByRole('button', { name: 'Save' }).hasAttribute('disabled')).toBe(true);
  });
});

describe('MutatingFieldset', () => {
  it('disables every field of the form under a staff view', () => {
    render(
      <ReadOnlyProvider>
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
      <ReadOnlyProvider>
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
