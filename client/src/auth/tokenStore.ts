// Where bearer tokens live between page loads. The sign-in token (customer or staff) is kept in
// localStorage; an impersonation token only in sessionStorage, so a staff view stays in the tab
// that started it and never leaks into another tab or outlives the browser session.

export type AccountKind = 'CUSTOMER' | 'STAFF';

export interface AccountToken {
  token: string;
  kind: AccountKind;
}

export interface ImpersonationToken {
  token: string;
  sessionId: string;
  /** The view's scope as started (portal sections or WHOLE_PORTAL): its pages ask for these only. */
  scope?: string[];
}

const ACCOUNT_KEY = 'salon.account';
const IMPERSONATION_KEY = 'salon.impersonation';

function read<T>(storage: Storage, key: string, valid: (value: Partial<T>) => boolean): T | null {
  try {
    const value = JSON.parse(storage.getItem(key) ?? 'null') as Partial<T> | null;
    return value && valid(value) ? (value as T) : null;
  } catch {
    return null;
  }
}

export const tokenStore = {
  account: (): AccountToken | null =>
    read<AccountToken>(
      localStorage,
      ACCOUNT_KEY,
      (v) => typeof v.token === 'string' && (v.kind === 'CUSTOMER' || v.kind === 'STAFF'),
    ),
  saveAccount: (account: AccountToken) => localStorage.setItem(ACCOUNT_KEY, JSON.stringify(account)),
  clearAccount: () => localStorage.removeItem(ACCOUNT_KEY),

  impersonation: (): ImpersonationToken | null =>
    read<ImpersonationToken>(
      sessionStorage,
      IMPERSONATION_KEY,
      (v) => typeof v.token === 'string' && typeof v.sessionId === 'string',
    ),
  saveImpersonation: (impersonation: ImpersonationToken) =>
    sessionStorage.setItem(IMPERSONATION_KEY, JSON.stringify(impersonation)),
  clearImpersonation: () => sessionStorage.removeItem(IMPERSONATION_KEY),
};
