// The customer's own account: profile, password and notification preferences, each change with
// the inputs it refuses and the row left as it was.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectData, expectError, type PortalIds } from './factories.ts';
import { demo, type TestApp } from './harness.ts';
import { startPortalApp, type PortalApp } from './portal-helpers.ts';

const UpdateProfile =
  'mutation UpdateProfile($input: UpdateProfileInput!) { updateProfile(input: $input) { name phone address } }';
const ChangePassword =
  'mutation ChangePassword($current: String!, $next: String!) { changePassword(currentPassword: $current, newPassword: $next) }';
const UpdatePreferences = `mutation UpdatePreferences($preferences: [NotificationPreferenceInput!]!) {
  updateNotificationPreferences(preferences: $preferences) { category channel enabled } }`;
const SignIn =
  'mutation SignIn($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }';

let app: TestApp;
let prisma: PortalApp['prisma'];
let chloeIds: PortalIds;
let asChloe: PortalApp['asChloe'];

beforeAll(async () => {
  ({ app, prisma, chloeIds, asChloe } = await startPortalApp());
});

afterAll(async () => {
  await app?.close();
});

const signInAttempt = (email: string, password: string) => app.gql(SignIn, { email, password });

describe('updateProfile', () => {
  test('a customer changes their name, phone and address', async () => {
    const input = { name: 'Chloe Martin-Reyes', phone: '+1 (555) 010-9999', address: '20 Birch Road, Springfield' };

    const result = await asChloe(UpdateProfile, { input });

    expect(expectData(result).updateProfile).toEqual(input);
    const stored = await prisma.customer.findUniqueOrThrow({ where: { id: chloeIds.id } });
    expect({ name: stored.name, phone: stored.phone, address: stored.address }).toEqual(input);
  });

  test('fields left out stay as they are and an empty phone clears it', async () => {
    const before = await prisma.customer.findUniqueOrThrow({ where: { id: chloeIds.id } });

    const result = await asChloe(UpdateProfile, { input: { phone: '' } });

    expect(expectData(result).updateProfile).toEqual({ name: before.name, phone: null, address: before.address });
  });

  test.each([
    ['an empty name', { name: '' }],
    ['a name of spaces only', { name: '   ' }],
    ['a phone with letters', { phone: '555-CALL-NOW' }],
  ])('%s is refused with BAD_USER_INPUT and the profile is unchanged', async (_case, input) => {
    const before = await prisma.customer.findUniqueOrThrow({ where: { id: chloeIds.id } });

    expectError(await asChloe(UpdateProfile, { input }), 'BAD_USER_INPUT');

    expect(await prisma.customer.findUniqueOrThrow({ where: { id: chloeIds.id } })).toEqual(before);
  });
});

describe('changePassword (as dan)', () => {
  const newPassword = 'a-brand-new-password';

  test('a wrong current password is refused with BAD_USER_INPUT and the password stays', async () => {
    const dan = await app.signIn('dan');
    const before = await prisma.customer.findUniqueOrThrow({ where: { email: demo.dan.email } });

    expectError(
      await app.gql(ChangePassword, { current: 'not-the-password', next: newPassword }, dan),
      'BAD_USER_INPUT',
    );

    expect((await prisma.customer.findUniqueOrThrow({ where: { email: demo.dan.email } })).passwordHash).toBe(
      before.passwordHash,
    );
  });

  test('a new password shorter than 10 characters is refused with BAD_USER_INPUT', async () => {
    const dan = await app.signIn('dan');
    const before = await prisma.customer.findUniqueOrThrow({ where: { email: demo.dan.email } });

    expectError(await app.gql(ChangePassword, { current: demo.dan.password, next: 'short-pw' }, dan), 'BAD_USER_INPUT');

    expect((await prisma.customer.findUniqueOrThrow({ where: { email: demo.dan.email } })).passwordHash).toBe(
      before.passwordHash,
    );
  });

  test('after a change the old password no longer signs in, the new one does, and only the other sessions are signed out', async () => {
    const current = await app.signIn('dan');
    const other = await app.signIn('dan');

    expect(
      expectData(await app.gql(ChangePassword, { current: demo.dan.password, next: newPassword }, current))
        .changePassword,
    ).toBe(true);

    expectError(await signInAttempt(demo.dan.email, demo.dan.password), 'UNAUTHENTICATED', 'INVALID_CREDENTIALS');
    expect(expectData(await signInAttempt(demo.dan.email, newPassword)).signIn.token).toEqual(expect.any(String));
    expectError(await app.gql('{ me { id } }', {}, other), 'UNAUTHENTICATED');
    expect(expectData(await app.gql('{ me { email } }', {}, current)).me.email).toBe(demo.dan.email);
  });
});

describe('updateNotificationPreferences', () => {
  const ME_PREFERENCES = '{ me { notificationPreferences { category channel enabled } } }';

  test('sets only the given category x channel switches and returns all of them', async () => {
    const before = expectData(await asChloe(ME_PREFERENCES)).me.notificationPreferences as {
      category: string;
      channel: string;
      enabled: boolean;
    }[];
    const changes = [
      { category: 'PROMOTIONS', channel: 'EMAIL', enabled: false },
      { category: 'BILLING', channel: 'SMS', enabled: true },
    ];
    expect(before).toContainEqual({ ...changes[0], enabled: true });
    expect(before).toContainEqual({ ...changes[1], enabled: false });

    const result = await asChloe(UpdatePreferences, { preferences: changes });

    const key = (p: { category: string; channel: string }) => `${p.category}/${p.channel}`;
    const expected = before.map((p) => changes.find((c) => key(c) === key(p)) ?? p);
    expect(expectData(result).updateNotificationPreferences).toEqual(expected);
    expect(expectData(await asChloe(ME_PREFERENCES)).me.notificationPreferences).toEqual(expected);
  });

  test('notificationSwitches reports the server default for a customer with no saved switch, then the saved one', async () => {
    const SWITCHES = '{ me { notificationSwitches { category channel enabled onByDefault } } }';
    // chloe's seeded switches go: she becomes a customer who never saved one.
    await prisma.notificationPreference.deleteMany({ where: { customerId: chloeIds.id } });
    type Switch = { category: string; channel: string; enabled: boolean; onByDefault: boolean };
    const switches = async () => expectData(await asChloe(SWITCHES)).me.notificationSwitches as Switch[];

    const unsaved = await switches();
    expect(unsaved).toHaveLength(6 * 3);
    expect(unsaved.filter((s) => s.onByDefault).map((s) => `${s.category}:${s.channel}`)).toEqual([
      'STAFF_ACCESS:EMAIL',
      'STAFF_ACCESS:PUSH',
    ]);
    expect(unsaved.every((s) => s.enabled === s.onByDefault)).toBe(true);
    expect(expectData(await asChloe(ME_PREFERENCES)).me.notificationPreferences).toEqual([]);

    const changes = [
      { category: 'STAFF_ACCESS', channel: 'EMAIL', enabled: false },
      { category: 'PROMOTIONS', channel: 'SMS', enabled: true },
    ];
    expectData(await asChloe(UpdatePreferences, { preferences: changes }));
    const saved = await switches();
    expect(saved).toContainEqual({ category: 'STAFF_ACCESS', channel: 'EMAIL', enabled: false, onByDefault: true });
    expect(saved).toContainEqual({ category: 'STAFF_ACCESS', channel: 'PUSH', enabled: true, onByDefault: true });
    expect(saved).toContainEqual({ category: 'PROMOTIONS', channel: 'SMS', enabled: true, onByDefault: false });
    expect(saved.filter((s) => s.enabled).length).toBe(2);
    const both = expectData(
      await asChloe('{ me { notificationPreferences { category channel enabled } notificationSwitches { enabled } } }'),
    ).me;
    expect(both.notificationPreferences).toHaveLength(2);
    expect(both.notificationSwitches).toHaveLength(6 * 3);
  });

  test('an empty list is refused with BAD_USER_INPUT', async () => {
    expectError(await asChloe(UpdatePreferences, { preferences: [] }), 'BAD_USER_INPUT');
  });
});
