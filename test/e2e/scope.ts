// Every staff view names its scope (SPEC 10): the start dialog's sections, as the portal names them,
// or the whole portal with a stated need.
import type { Locator } from 'playwright-core';

export type ScopeChoice = readonly string[] | { need: string };

/** Sections ('Billing', 'My Pets', …) or `{ need }` for the whole portal. */
export async function chooseScope(dialog: Locator, scope: ScopeChoice) {
  const group = dialog.getByRole('group', { name: 'What this view needs' });
  if ('need' in scope) {
    await group.getByRole('checkbox', { name: 'Whole portal' }).check();
    await group.getByLabel('Why the whole portal?').fill(scope.need);
    return;
  }
  for (const section of scope) await group.getByRole('checkbox', { name: section, exact: true }).check();
}

/** The need these tests give when they walk every page of the portal. */
export const WHOLE_PORTAL = { need: 'The test walks every page of the portal' } as const;
