// The portal's own pages in a scoped staff view (SPEC 10, issue 23): each page the client opens in
// a view of a scope, sent as the client sends it (its persisted document, the section variables it
// declares set from the scope: client/src/portal/pageQuery.tsx), is answered whole, with no
// OUTSIDE_SCOPE refusal and no refused path in the audit. The schema walk (portal-sections.test.ts)
// proves nothing outside the scope is ever served; this proves normal navigation asks for nothing
// outside it, so a narrow view renders: Home keeps the name, Billing its invoices and cards.
import type { PortalSection } from '@prisma/client';
import { print, type DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AppointmentsPageDocument,
  BillingPageDocument,
  HomePageDocument,
  MessagesPageDocument,
  OutsideViewPageDocument,
  PetsPageDocument,
  ReportCardsPageDocument,
  SettingsPageDocument,
} from '../client/src/gql/graphql.ts';
import { sectionVariables, sectionsInView, showsSection, type Section } from '../client/src/staffViewScope.ts';
import { expectData } from './factories.ts';
import { startTestApp, type GqlResult, type TestApp } from './harness.ts';
import { REASON, collect, customerId } from './impersonation-helpers.ts';

const START = `mutation Start($customerId: ID!, $reason: String!, $scope: StaffViewScopeInput) {
  startImpersonation(customerId: $customerId, reason: $reason, scope: $scope) { token session { id scope } }
}`;
const END = 'mutation End($id: ID!) { endImpersonation(sessionId: $id) { id } }';

/** The pages of the portal and the section each shows (Home and the placeholder: every view). */
const PAGES: { name: string; document: DocumentNode; section: Section | null }[] = [
  { name: 'HomePage', document: HomePageDocument, section: null },
  { name: 'OutsideViewPage', document: OutsideViewPageDocument, section: null },
  { name: 'AppointmentsPage', document: AppointmentsPageDocument, section: 'APPOINTMENTS' },
  { name: 'PetsPage', document: PetsPageDocument, section: 'PETS' },
  { name: 'ReportCardsPage', document: ReportCardsPageDocument, section: 'REPORT_CARDS' },
  { name: 'BillingPage', document: BillingPageDocument, section: 'BILLING' },
  { name: 'MessagesPage', document: MessagesPageDocument, section: 'MESSAGES' },
  { name: 'SettingsPage', document: SettingsPageDocument, section: 'SETTINGS' },
];

/** The variables the client sends with `document` in a view of `scope` (those it declares). */
function variablesFor(document: DocumentNode, scope: readonly string[]): Record<string, boolean> {
  const all: Record<string, boolean> = { staffView: true, ...sectionVariables(sectionsInView(scope)) };
  const declared = document.definitions.flatMap((definition) =>
    'variableDefinitions' in definition ? (definition.variableDefinitions ?? []).map((v) => v.variable.name.value) : [],
  );
  return Object.fromEntries(Object.entries(all).filter(([name]) => declared.includes(name)));
}

const SCOPES: PortalSection[][] = [
  ['APPOINTMENTS'],
  ['PETS'],
  ['REPORT_CARDS'],
  ['BILLING'],
  ['MESSAGES'],
  ['SETTINGS'],
  ['BILLING', 'PETS'],
  ['APPOINTMENTS', 'REPORT_CARDS'],
  ['WHOLE_PORTAL'],
];

let app: TestApp;
let max: string;
let chloe: string;

beforeAll(async () => {
  app = await startTestApp({ config: { IMPERSONATION_STARTS_PER_WINDOW: 10_000 } });
  max = await app.signIn('max');
  chloe = await customerId(app, max, 'chloe@example.test');
});
afterAll(async () => {
  await app?.close();
});

/** Runs `visit` in a view of Chloe's of `scope`, ended after; returns its audit records. */
async function inView(scope: PortalSection[], visit: (token: string) => Promise<void>) {
  const whole = scope.includes('WHOLE_PORTAL');
  const input = { sections: scope, need: whole ? 'The test opens every page of the portal' : null };
  const { token, session } = expectData(
    await app.gql(START, { customerId: chloe, reason: REASON, scope: input }, max),
  ).startImpersonation;
  try {
    await visit(token);
  } finally {
    await app.gql(END, { id: session.id }, max);
  }
  return app.services.prisma.auditEvent.findMany({ where: { sessionId: session.id, operationName: { not: null } } });
}

describe('Every page a view opens, as the client sends it', () => {
  it.each(SCOPES.map((scope) => [scope.join(' + '), scope] as const))(
    'a view of %s: each page it shows is answered with no refusal, and the audit records none',
    async (_name, scope) => {
      const shown = PAGES.filter((page) => page.section === null || showsSection(sectionsInView(scope), page.section));
      const answers: Record<string, GqlResult> = {};
      const records = await inView(scope, async (token) => {
        for (const page of shown)
          answers[page.name] = await app.gql(print(page.document), variablesFor(page.document, scope), token);
      });
      for (const page of shown) {
        expect({ page: page.name, errors: answers[page.name]!.errors ?? [] }).toEqual({ page: page.name, errors: [] });
        expect(answers[page.name]!.data.me.name).toBe('Chloe Martin');
      }
      const pages = records.filter((record) => shown.some((page) => page.name === record.operationName));
      expect(pages).toHaveLength(shown.length);
      for (const record of pages) {
        expect({ page: record.operationName, outcome: record.outcome }).toEqual({
          page: record.operationName,
          outcome: 'ALLOWED',
        });
        expect((record.seen as { refused?: string[] } | null)?.refused ?? []).toEqual([]);
      }
    },
  );

  it('a Billing view reads Chloe’s invoices and payment methods, over HTTP and graphql-ws, and Home her balance only', async () => {
    const scope: PortalSection[] = ['BILLING'];
    let overSocket: unknown[] = [];
    let billing: GqlResult | null = null;
    let home: GqlResult | null = null;
    await inView(scope, async (token) => {
      billing = await app.gql(print(BillingPageDocument), variablesFor(BillingPageDocument, scope), token);
      home = await app.gql(print(HomePageDocument), variablesFor(HomePageDocument, scope), token);
      const client = app.wsClient(token);
      try {
        // graphql-ws carries no variables in this helper: the document with the scope's values inlined.
        const inline = print(BillingPageDocument)
          .replace(/^query BillingPage\([^)]*\)/m, 'query BillingPage')
          .replaceAll('$staffView', 'true')
          .replaceAll('$withAppointments', 'false');
        const feed = collect<unknown>(client, inline);
        await feed.done;
        expect(feed.errors).toEqual([]);
        overSocket = feed.values;
      } finally {
        await client.dispose();
      }
    });
    for (const data of [billing!.data, overSocket[0]] as { me: { invoices: unknown[]; paymentMethods: unknown[] } }[]) {
      expect(data.me.invoices.length).toBeGreaterThan(0);
      expect(data.me.paymentMethods.length).toBeGreaterThan(0);
    }
    expect(home!.errors).toBeUndefined();
    expect(Object.keys(home!.data.me).sort()).toEqual(['id', 'invoices', 'name']);
    expect(home!.data.reportCards).toBeUndefined();
  });

  it('the pages as sent before scoping (every section asked) are refused outside the view: the check can fail', async () => {
    const everything = Object.fromEntries(
      Object.keys(variablesFor(HomePageDocument, ['WHOLE_PORTAL'])).map((name) => [name, true]),
    );
    let home: GqlResult | null = null;
    const records = await inView(['BILLING'], async (token) => {
      home = await app.gql(print(HomePageDocument), everything, token);
    });
    expect(home!.errors?.map((error) => error.extensions?.reason)).toContain('OUTSIDE_SCOPE');
    expect(records.find((record) => record.operationName === 'HomePage')?.outcome).not.toBe('ALLOWED');
  });
});
