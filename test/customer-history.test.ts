// The customer's own copy (SPEC 11, issue 22 item 7): Chloe downloads her staff-access history; it
// says what the audit recorded of each view (who, when in her zone, why, pages and records, refused
// attempts, the extension, how it ended) and the requests she answered; its signature verifies with
// the audit key and fails on any changed byte; only she may download it (a staff view is refused,
// CUSTOMER_ONLY, and recorded); every download is recorded. Issues 23 and 24: the fields a view
// revealed and an emergency access with its review and escalation are in it too, in her words, and
// never a justification or a reviewer's note.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalateOverdueBreakGlass } from '../server/access/break-glass.ts';
import { customerHistory, type CustomerHistory } from '../server/audit/customer-history.ts';
import { checkHistoryFile, HISTORY_FORMAT } from '../server/audit/customer-history-file.ts';
import { DECLINE_AS_CUSTOMER, END, SET_PREFERENCE, refusal, startRequested } from './access-helpers.ts';
import { HOUR, MINUTE, STEP_UP_AFTER_A_YEAR, expectData } from './factories.ts';
import { demo, startTestApp, type TestApp } from './harness.ts';
import { customerId, startSession } from './impersonation-helpers.ts';

const HISTORY = `query History($olderThan: ID) {
  myStaffAccessHistory(olderThan: $olderThan) { fileName content views complete nextOlderThan keyFingerprint }
}`;
const PETS_PAGE = 'query PetsPage { me { pets { id name } } }';
const BILLING_PAGE = 'query BillingPage { me { invoices { id number } } }';
const TRY_CHANGE = 'mutation { updateProfile(input: { phone: "555-0100" }) { id } }';
const TERMINATE = `mutation Stop($id: ID!, $reason: String!, $message: String) {
  terminateImpersonation(sessionId: $id, reason: $reason, customerMessage: $message) { id }
}`;
const EXTEND = 'mutation Extend($id: ID!) { extendImpersonation(sessionId: $id) { id expiresAt } }';
const REVEAL = `mutation Reveal($field: StaffViewMaskedField!, $recordId: ID!, $reason: String!) {
  revealStaffViewField(field: $field, recordId: $recordId, reason: $reason) { id }
}`;
const BREAK_GLASS = `mutation BreakGlass($customerId: ID!, $reason: String!, $emergency: EmergencyAccessInput) {
  startImpersonation(customerId: $customerId, reason: $reason, scope: { sections: [PETS] }, emergency: $emergency) {
    status session { id }
  }
}`;
const REVIEWS = '{ breakGlassReviews { id sessionId } }';
const REVIEW = `mutation Review($id: ID!, $decision: BreakGlassDecision!, $note: String!) {
  reviewBreakGlass(id: $id, decision: $decision, note: $note) { id decision }
}`;
const ACCESS_LOG = '{ me { staffAccessLog { id summary emergency } } }';

interface Download {
  fileName: string;
  content: string;
  views: number;
  complete: boolean;
  nextOlderThan: string | null;
  keyFingerprint: string;
}

let app: TestApp;
let mara: string;
let chloe: string;
let chloeId: string;
let viewId: string;
let staffViewToken: string;
let pets: { id: string; name: string }[];
let invoices: { id: string; number: string }[];
let download: Download;
let history: CustomerHistory;

const downloadAs = async (token: string, olderThan?: string) =>
  app.gql<{ myStaffAccessHistory: Download }>(HISTORY, { olderThan }, token);

/** The exit code of `npm run audit:verify-history` (its script) on a file with this content. */
async function verifyWithScript(content: string, name = 'history.json'): Promise<number> {
  const folder = await mkdtemp(join(tmpdir(), 'history-'));
  try {
    const file = join(folder, name);
    await writeFile(file, content);
    return await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      'server/scripts/verify-customer-history.ts',
      file,
    ]).then(
      () => 0,
      (error: { code: number }) => error.code,
    );
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  app = await startTestApp({ config: { ...STEP_UP_AFTER_A_YEAR, SALON_TIME_ZONE: 'America/Los_Angeles' } });
  [mara, chloe] = [await app.signIn('mara'), await app.signIn('chloe')];
  chloeId = await customerId(app, mara, demo.chloe.email);
  await app.services.prisma.customer.update({ where: { id: chloeId }, data: { timeZone: 'Europe/Paris' } });

  // Mara views Chloe's pets and invoices, tries a change (refused), extends the view, ends it.
  const started = await startSession(app, mara);
  [viewId, staffViewToken] = [started.session.id, started.token];
  ({ pets } = expectData(await app.gql(PETS_PAGE, {}, staffViewToken)).me);
  ({ invoices } = expectData(await app.gql(BILLING_PAGE, {}, staffViewToken)).me);
  expect(refusal(await app.gql(TRY_CHANGE, {}, staffViewToken)).code).toBe('FORBIDDEN');
  app.clock.advance(26 * MINUTE);
  expectData(await app.gql(EXTEND, { id: viewId }, staffViewToken));
  // The staff view asks for her history while it is live: refused, and recorded as its attempt.
  expect(refusal(await downloadAs(staffViewToken))).toEqual({ code: 'FORBIDDEN', reason: 'CUSTOMER_ONLY' });
  expectData(await app.gql(END, { id: viewId }, mara));

  download = expectData(await downloadAs(chloe)).myStaffAccessHistory;
  history = (checkHistoryFile(Buffer.from(download.content, 'utf8')).history as CustomerHistory) ?? history;
});
afterAll(async () => {
  await app?.close();
});

describe('What the file says', () => {
  it('covers her one view, newest first, complete, in her time zone', () => {
    expect(download).toMatchObject({ views: 1, complete: true, nextOlderThan: null });
    expect(download.fileName).toMatch(/^staff-access-history-\d{4}-\d{2}-\d{2}\.json$/);
    expect(JSON.parse(download.content).format).toBe(HISTORY_FORMAT);
    expect(history).toMatchObject({
      salon: 'Tidy Tails',
      timeZone: 'Europe/Paris',
      coverage: { views: 1, complete: true },
    });
    expect(history.views[0]!.started.local).toMatch(/GMT\+1|GMT\+2|CET|CEST/);
  });

  it('names who, why, the pages and the records the audit says were shown, and the refused attempts', () => {
    const [view] = history.views;
    // Refused: the change, and the staff view's try at her history.
    expect(view).toMatchObject({ id: viewId, staffName: 'Mara Quinn', inProgress: false, refusedAttempts: 2 });
    expect(view!.reason).toBe('Customer called about a billing question');
    const shown = Object.fromEntries(view!.pagesViewed.flatMap((each) => each.records).map((r) => [r.type, r]));
    expect(view!.pagesViewed.map((each) => each.page)).toEqual(['My Pets', 'Billing']);
    expect(new Set(shown.Pet!.ids)).toEqual(new Set(pets.map((pet) => pet.id)));
    expect(new Set(shown.Pet!.names)).toEqual(new Set(pets.map((pet) => pet.name)));
    expect(new Set(shown.Invoice!.ids)).toEqual(new Set(invoices.map((invoice) => invoice.id)));
    expect(shown.Invoice!.names).toEqual(
      expect.arrayContaining(invoices.map((invoice) => `Invoice ${invoice.number}`)),
    );
  });

  it('says it was extended and how it ended, in her words', () => {
    const [view] = history.views;
    expect(view!.extended).not.toBeNull();
    expect(view!.howItEnded).toBe('Mara Quinn ended it');
    expect(view!.messageFromSalon).toBeNull();
  });

  it('carries no staff-internal term in the history', () => {
    const signed = download.content.split('\n')[1]!;
    for (const term of ['OPERATION', 'rootFields', 'hash', 'endReason', 'test reset', 'me.pets'])
      expect(signed).not.toContain(term);
  });
});

describe('Signature', () => {
  it('verifies with the audit signing key, whose fingerprint it names', () => {
    const key = app.services.auditSigning.key;
    expect(download.keyFingerprint).toBe(key.fingerprint);
    expect(checkHistoryFile(Buffer.from(download.content), key).finding).toBeNull();
  });

  it('fails when any byte of the history is changed', () => {
    const bytes = Buffer.from(download.content);
    const at = bytes.indexOf('Mara Quinn');
    bytes[at] = 'N'.charCodeAt(0);
    expect(checkHistoryFile(bytes).finding).toBe('SIGNATURE_INVALID');
  });

  it('fails against another key than the salon’s', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { describePublicKey } = await import('../server/audit/signing-key.ts');
    const other = describePublicKey(generateKeyPairSync('ed25519').publicKey);
    expect(checkHistoryFile(Buffer.from(download.content), other).finding).toBe('NOT_THE_EXPECTED_KEY');
  });

  it('npm run audit:verify-history exits 0 on the file and 3 on a changed one', async () => {
    const changed = download.content.replace('Mara Quinn', 'Nara Quinn');
    expect(
      await Promise.all([verifyWithScript(download.content, download.fileName), verifyWithScript(changed)]),
    ).toEqual([0, 3]);
  }, 90_000);
});

describe('Who may download', () => {
  it('the staff view’s attempt was refused and recorded against its session', async () => {
    const records = await app.services.prisma.auditEvent.findMany({
      where: { sessionId: viewId, rootFields: { has: 'myStaffAccessHistory' } },
    });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ outcome: 'DENIED', errorCode: 'FORBIDDEN', customerId: chloeId });
  });

  it('staff signed in as themselves are refused (unauthorized)', async () => {
    expect(refusal(await downloadAs(mara)).code).toBe('FORBIDDEN');
  });

  it('nobody signed in is refused (unauthorized)', async () => {
    expect(refusal(await app.gql(HISTORY, {})).code).toBe('UNAUTHENTICATED');
  });

  it('an olderThan that is not one of her views is refused as bad input', async () => {
    expect(refusal(await downloadAs(chloe, 'not-a-view-of-hers')).code).toBe('BAD_USER_INPUT');
  });
});

describe('The download is recorded', () => {
  it('each download leaves a record: her, when, how many views', async () => {
    const before = await app.services.prisma.auditEvent.count({
      where: { action: 'AUDIT_EXPORTED', customerId: chloeId },
    });
    expectData(await downloadAs(chloe));
    const records = await app.services.prisma.auditEvent.findMany({
      where: { action: 'AUDIT_EXPORTED', customerId: chloeId },
      orderBy: { id: 'asc' },
    });
    expect(records).toHaveLength(before + 1);
    expect(records.at(-1)).toMatchObject({
      outcome: 'ALLOWED',
      staffId: null,
      operationType: 'customer-history',
      variables: { views: 1, complete: true, olderThan: null },
    });
  });
});

describe('Pages and requests', () => {
  it('a long history comes in pages: each says whether it is complete and where the next begins', async () => {
    const max = await app.signIn('max');
    const second = await startSession(app, max);
    expectData(await app.gql(END, { id: second.session.id }, max));
    const page = (olderThan?: string) =>
      customerHistory({
        prisma: app.services.prisma,
        now: app.clock.now(),
        salonName: 'Tidy Tails',
        customerId: chloeId,
        olderThan,
        maxViews: 1,
      });
    const newest = await page();
    expect(newest).toMatchObject({ views: 1, complete: false });
    expect(newest.history.views[0]!.id).toBe(second.session.id);
    expect(newest.history.coverage.nextOlderThan).toBe(second.session.id);
    const older = await page(newest.history.coverage.nextOlderThan!);
    expect(older).toMatchObject({ views: 1, complete: true });
    expect(older.history.views[0]!.id).toBe(viewId);
    expect(expectData(await downloadAs(chloe, viewId)).myStaffAccessHistory).toMatchObject({
      views: 0,
      complete: true,
    });
  });

  it('a view a manager stopped tells her message from the salon, never the internal note', async () => {
    const max = await app.signIn('max');
    const view = await startSession(app, mara);
    expectData(
      await app.gql(
        TERMINATE,
        {
          id: view.session.id,
          reason: 'INTERNAL-NOTE no ticket for this',
          message: 'We are sorry, Chloe: our mistake',
        },
        max,
      ),
    );
    const file = expectData(await downloadAs(chloe)).myStaffAccessHistory;
    const [stopped] = (checkHistoryFile(Buffer.from(file.content)).history as CustomerHistory).views;
    expect(stopped).toMatchObject({
      id: view.session.id,
      howItEnded: 'a manager (Max Okafor) stopped it',
      messageFromSalon: 'We are sorry, Chloe: our mistake',
    });
    expect(file.content).not.toContain('INTERNAL-NOTE');
  });

  it('lists a request she declined', async () => {
    expectData(await app.gql(SET_PREFERENCE, { preference: 'ASK_FIRST' }, chloe));
    const request = await startRequested(app, mara, demo.chloe.email, 'Checking the vaccination record you sent');
    expectData(await app.gql(DECLINE_AS_CUSTOMER, { id: request.id }, chloe));
    const file = expectData(await downloadAs(chloe)).myStaffAccessHistory;
    const requests = (checkHistoryFile(Buffer.from(file.content)).history as CustomerHistory).requests;
    expect(requests[0]).toMatchObject({ id: request.id, staffName: 'Mara Quinn', answer: 'DECLINED' });
  });
});

describe('Reveals and emergency access (issues 23 and 24)', () => {
  const REVEAL_REASON = 'Dan asked whether the hip note for Bruno is on file';
  const START_REASON = 'Vet called about Bruno during his visit today';
  const JUSTIFICATION = 'JUSTIFICATION-FOR-STAFF vet on the phone, Dan abroad and unreachable';
  const APPROVE_NOTE = 'REVIEW-NOTE-FOR-MANAGERS vet confirmed the call';
  const FLAG_NOTE = 'FLAG-REASON-FOR-MANAGERS nobody called the vet back';
  let danFile: Download;
  let danHistory: CustomerHistory;
  let revealViewId: string;
  let approvedId: string;
  let escalatedId: string;

  /** One view as her access log in the portal tells it. */
  async function accessLogEntry(id: string) {
    const { me } = expectData(
      await app.gql<{ me: { staffAccessLog: { id: string; summary: string; emergency: string | null }[] } }>(
        ACCESS_LOG,
        {},
        await app.signIn('dan'),
      ),
    );
    return me.staffAccessLog.find((each) => each.id === id)!;
  }

  /** A break-glass start of Mara's on Dan (ask first), ended at once; its review's id. */
  async function emergencyView(mara: string, danId: string): Promise<{ sessionId: string; reviewId: string }> {
    const started = expectData(
      await app.gql<{ startImpersonation: { status: string; session: { id: string } } }>(
        BREAK_GLASS,
        { customerId: danId, reason: START_REASON, emergency: { category: 'PET_HEALTH', reason: JUSTIFICATION } },
        mara,
      ),
    ).startImpersonation;
    expect(started.status).toBe('STARTED');
    expectData(await app.gql(END, { id: started.session.id }, mara));
    const max = await app.signIn('max');
    const reviews = expectData(
      await app.gql<{ breakGlassReviews: { id: string; sessionId: string }[] }>(REVIEWS, {}, max),
    ).breakGlassReviews;
    return { sessionId: started.session.id, reviewId: reviews.find((r) => r.sessionId === started.session.id)!.id };
  }

  beforeAll(async () => {
    const mara = await app.signIn('mara');
    let dan = await app.signIn('dan');
    const danId = await customerId(app, mara, demo.dan.email);
    await app.services.prisma.customer.update({ where: { id: danId }, data: { timeZone: 'Asia/Tokyo' } });

    // An ordinary view that reveals the health alerts of Bruno, with a reason she reads.
    const view = await startSession(app, mara, demo.dan.email);
    revealViewId = view.session.id;
    const { pets: danPets } = expectData(
      await app.gql<{ me: { pets: { id: string; name: string }[] } }>(PETS_PAGE, {}, view.token),
    ).me;
    const bruno = danPets.find((pet) => pet.name === 'Bruno')!;
    expectData(
      await app.gql(REVEAL, { field: 'PET_HEALTH_ALERTS', recordId: bruno.id, reason: REVEAL_REASON }, view.token),
    );
    expectData(await app.gql(END, { id: revealViewId }, mara));

    // Dan asks first: two emergency accesses; Max approves the first, the second is escalated, then flagged.
    expectData(await app.gql(SET_PREFERENCE, { preference: 'ASK_FIRST' }, dan));
    const approved = await emergencyView(mara, danId);
    approvedId = approved.sessionId;
    let max = await app.signIn('max');
    expectData(await app.gql(REVIEW, { id: approved.reviewId, decision: 'APPROVE', note: APPROVE_NOTE }, max));
    const escalated = await emergencyView(mara, danId);
    escalatedId = escalated.sessionId;
    app.clock.advance(25 * HOUR);
    expect(await escalateOverdueBreakGlass(app.services)).toBe(1);
    // A day later every sign-in has run out: Max and Dan sign in again.
    [max, dan] = await Promise.all([app.signIn('max'), app.signIn('dan')]);
    expectData(await app.gql(REVIEW, { id: escalated.reviewId, decision: 'FLAG', note: FLAG_NOTE }, max));

    danFile = expectData(await downloadAs(dan)).myStaffAccessHistory;
    danHistory = checkHistoryFile(Buffer.from(danFile.content)).history as CustomerHistory;
  }, 60_000);

  it('lists what a view revealed, when in her time zone, and why, as her access log says it', async () => {
    const view = danHistory.views.find((each) => each.id === revealViewId)!;
    expect(view.revealed).toEqual([
      {
        at: { at: expect.any(String), local: expect.stringMatching(/GMT\+9/) },
        what: 'the health alerts of Bruno',
        reason: REVEAL_REASON,
      },
    ]);
    expect(view.summary).toContain(`revealed the health alerts of Bruno (${REVEAL_REASON})`);
    expect(view.emergency).toBeNull();
    expect((await accessLogEntry(revealViewId)).summary).toBe(view.summary);
  });

  it('says an emergency access was one, in her words, and that another manager found it justified', async () => {
    const view = danHistory.views.find((each) => each.id === approvedId)!;
    expect((await accessLogEntry(approvedId)).emergency).toBe(view.emergency!.what);
    expect(view.reason).toBe(START_REASON);
    expect(view.emergency).toEqual({
      what: 'Emergency access: an urgent question about your pet’s health',
      note: 'It was started without the usual approval; another manager at Tidy Tails reviews every emergency access.',
      followUps: [
        {
          at: { at: expect.any(String), local: expect.stringMatching(/GMT\+9/) },
          what: 'Max Okafor, another manager at Tidy Tails, reviewed this emergency access and found it justified.',
        },
      ],
    });
    expect(view.revealed).toEqual([]);
  });

  it('says when an emergency access was not reviewed in time, and that it was later flagged', () => {
    const view = danHistory.views.find((each) => each.id === escalatedId)!;
    expect(view.emergency!.followUps.map((each) => each.what)).toEqual([
      'Nobody reviewed this emergency access in the time allowed, so the managers of Tidy Tails were alerted.',
      'Max Okafor, another manager at Tidy Tails, reviewed this emergency access and flagged it for a closer look.',
    ]);
  });

  it('carries no justification, review note, flag reason or staff term', () => {
    for (const term of [
      'JUSTIFICATION-FOR-STAFF',
      'REVIEW-NOTE-FOR-MANAGERS',
      'FLAG-REASON-FOR-MANAGERS',
      'PET_HEALTH',
      'BREAK_GLASS',
      'APPROVE',
      'FLAG',
      'reviewId',
    ])
      expect(danFile.content).not.toContain(term);
  });

  it('verifies with the salon’s key, and npm run audit:verify-history accepts it', async () => {
    expect(danFile.views).toBe(3);
    expect(checkHistoryFile(Buffer.from(danFile.content), app.services.auditSigning.key).finding).toBeNull();
    expect(await verifyWithScript(danFile.content, danFile.fileName)).toBe(0);
    const changed = danFile.content.replace('found it justified', 'found it fine');
    expect(checkHistoryFile(Buffer.from(changed)).finding).toBe('SIGNATURE_INVALID');
  }, 90_000);
});
