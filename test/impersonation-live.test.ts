// The live parts over graphql-ws: the banner feed ticks and pushes the end at once, the socket is
// then closed with 4403 and the token refused; the admin list follows starts and ends.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SessionChangedEvent } from '../server/pubsub.ts';
import { errorCode, startTestApp, type TestApp } from './harness.ts';
import { collect, startSession } from './impersonation-helpers.ts';

/** The tick near the end; the far tick stays at its default (30 s). */
const TICK_MS = 100;
let app: TestApp;
let limits: TestApp['services']['limits'];

beforeAll(async () => {
  app = await startTestApp({ config: { IMPERSONATION_TICK_MS: TICK_MS } });
  limits = app.services.limits;
});
afterAll(async () => {
  await app?.close();
});

interface BannerStatus {
  impersonationSession: {
    sessionId: string;
    state: string;
    remainingSeconds: number;
    expiresAt: string;
    endReason: string | null;
    canExtend: boolean;
  };
}
const BANNER =
  'subscription Banner { impersonationSession { sessionId state remainingSeconds expiresAt endReason canExtend } }';
const END = 'mutation E($id: ID!) { endImpersonation(sessionId: $id) { id } }';
const ACTIVE = 'subscription Active { activeImpersonationSessions { id reason staff { name } customer { name } } }';

function closedWith(): { promise: Promise<number>; onClose: (code: number) => void } {
  let onClose!: (code: number) => void;
  const promise = new Promise<number>((resolve) => (onClose = resolve));
  return { promise, onClose };
}

describe('Banner subscription', () => {
  it('ticks the remaining time once a far tick before the last minutes, then every tick (the tick rule)', async () => {
    const mara = await app.signIn('mara');
    const { token, session } = await startSession(app, mara);
    const banner = collect<BannerStatus>(app.wsClient(token), BANNER);
    const full = limits.durationMs / 1000;
    const remaining = () => banner.values.map((value) => value.impersonationSession.remainingSeconds);

    const first = await banner.until((value) => value.impersonationSession.state === 'ACTIVE');
    expect(first.impersonationSession).toMatchObject({
      sessionId: session.id,
      remainingSeconds: full,
      canExtend: false,
    });
    // Far from the end, 10 s on: no tick for ten tick lengths (the client counts down from expiresAt)...
    app.clock.advance(10_000);
    await new Promise((resolve) => setTimeout(resolve, 10 * TICK_MS));
    expect(remaining()).toEqual([full]);
    // ...then one once the far tick (30 s) has passed.
    app.clock.advance(20_000);
    await banner.until((value) => value.impersonationSession.remainingSeconds === full - 30);
    // In the last five minutes, every tick.
    app.clock.advance((full - 30 - 240) * 1000);
    await banner.until((value) => value.impersonationSession.remainingSeconds === 240);
    app.clock.advance(1000);
    await banner.until((value) => value.impersonationSession.remainingSeconds === 239);
    app.clock.advance(1000);
    await banner.until((value) => value.impersonationSession.remainingSeconds === 238);
    await app.gql(END, { id: session.id }, mara);
  });

  it('takes the end from the session row, never from the event: a published end of a live session ends nothing', async () => {
    const mara = await app.signIn('mara');
    const { token, session } = await startSession(app, mara);
    let closedCode: number | null = null;
    const banner = collect<BannerStatus>(
      app.wsClient(token, (code) => (closedCode = code)),
      BANNER,
    );
    await banner.until((value) => value.impersonationSession.state === 'ACTIVE');
    const row = await app.services.prisma.impersonationSession.findUniqueOrThrow({ where: { id: session.id } });
    const seen = banner.values.length;
    // What a forger would publish (the end it carries is no field of the event any more).
    const forged = {
      sessionId: session.id,
      staffId: row.staffId,
      customerId: row.customerId,
      ended: true,
      end: { endedAt: app.clock.now().toISOString(), endState: 'TERMINATED', endReason: 'Carried by the event' },
    } as SessionChangedEvent;
    app.services.pubsub.publish('impersonation:session', session.id, forged);
    app.services.pubsub.publish('impersonation:active', forged);

    // The row is read again and pushed as it is: still active, and the socket stays open.
    await vi.waitFor(() => expect(banner.values.length).toBeGreaterThan(seen));
    expect(banner.values.at(-1)!.impersonationSession).toMatchObject({ state: 'ACTIVE', endReason: null });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(closedCode).toBeNull();
    expect(errorCode(await app.gql('{ me { name } }', {}, token))).toBeUndefined();

    // A real end reaches the banner with the row's state and reason.
    await app.gql(END, { id: session.id }, mara);
    const ended = await banner.until((value) => value.impersonationSession.state !== 'ACTIVE');
    const endedRow = await app.services.prisma.impersonationSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(ended.impersonationSession).toMatchObject({ state: endedRow.endState, endReason: endedRow.endReason });
  });

  it('ticks the remaining time of the session (unauthorized)', async () => {
    const chloe = await app.signIn('chloe');
    const banner = collect<BannerStatus>(app.wsClient(chloe), BANNER);
    await banner.done;
    expect(banner.values).toHaveLength(0);
    expect(JSON.stringify(banner.errors)).toContain('FORBIDDEN');
  });

  it('pushes termination with its reason at once, then closes the socket with 4403', async () => {
    const mara = await app.signIn('mara');
    const max = await app.signIn('max');
    const { token, session } = await startSession(app, mara);
    const closed = closedWith();
    const banner = collect<BannerStatus>(app.wsClient(token, closed.onClose), BANNER);
    await banner.until((value) => value.impersonationSession.state === 'ACTIVE');

    await app.gql(
      'mutation T($id: ID!) { terminateImpersonation(sessionId: $id, reason: "Ticket closed") { id } }',
      { id: session.id },
      max,
    );
    const end = await banner.until((value) => value.impersonationSession.state !== 'ACTIVE');
    expect(end.impersonationSession).toMatchObject({
      state: 'TERMINATED',
      endReason: 'Ticket closed',
      remainingSeconds: 0,
    });
    expect(await closed.promise).toBe(4403);
    expect(errorCode(await app.gql('{ me { name } }', {}, token))).toBe('UNAUTHENTICATED');
  });

  it('pushes EXPIRED when the time runs out', async () => {
    const mara = await app.signIn('mara');
    const { token } = await startSession(app, mara);
    const closed = closedWith();
    const banner = collect<BannerStatus>(app.wsClient(token, closed.onClose), BANNER);
    await banner.until((value) => value.impersonationSession.state === 'ACTIVE');
    app.clock.advance(limits.durationMs - limits.extensionWindowMs + 1000);
    await banner.until((value) => value.impersonationSession.canExtend);
    app.clock.advance(limits.extensionWindowMs);
    const end = await banner.until((value) => value.impersonationSession.state === 'EXPIRED');
    expect(end.impersonationSession.endReason).toBe('Time limit reached');
    expect(await closed.promise).toBe(4403);
  });

  it('refuses a new socket with an ended token (close 4403)', async () => {
    const mara = await app.signIn('mara');
    const { token, session } = await startSession(app, mara);
    await app.gql(END, { id: session.id }, token);
    const closed = closedWith();
    const banner = collect<BannerStatus>(app.wsClient(token, closed.onClose), BANNER);
    expect(await closed.promise).toBe(4403);
    await banner.done;
    expect(banner.values).toHaveLength(0);
  });
});

describe('Active sessions subscription', () => {
  it('pushes the list on every start and end', async () => {
    const mara = await app.signIn('mara');
    const max = await app.signIn('max');
    const list = collect<{ activeImpersonationSessions: { id: string; reason: string }[] }>(app.wsClient(max), ACTIVE);
    await list.until((value) => value.activeImpersonationSessions.length === 0);
    const { session } = await startSession(app, mara);
    const started = await list.until((value) => value.activeImpersonationSessions.some((s) => s.id === session.id));
    expect(started.activeImpersonationSessions[0]).toMatchObject({
      id: session.id,
      reason: 'Customer called about a billing question',
    });
    await app.gql(END, { id: session.id }, mara);
    await list.until(
      (value) =>
        value.activeImpersonationSessions.length === 0 && list.values.indexOf(value) > list.values.indexOf(started),
    );
  });

  it('pushes the list on every start and end (unauthorized)', async () => {
    const rita = await app.signIn('rita');
    const list = collect(app.wsClient(rita), ACTIVE);
    await list.done;
    expect(list.values).toHaveLength(0);
    expect(JSON.stringify(list.errors)).toContain('FORBIDDEN');
  });
});
