// The pages the page-load bench sends, as the client sends them (the persisted operations of
// client/src/gql, by hash, with the client's variables and headers), and the customer's data size.
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { HomePageDocument } from '../client/src/gql/graphql.ts';
import type { TestApp } from '../test/harness.ts';
import type { PageLoad } from './pageload-worker.ts';

/** One operation of a page load, as a client document and the variables the client gives it. */
interface SentOperation {
  document: DocumentNode;
  variables: Record<string, unknown>;
}

/** Home's own query (client/src/portal/HomePage.tsx, one query per page). */
const HOME_PAGE = (staffView: boolean): SentOperation => ({ document: HomePageDocument, variables: { staffView } });

/**
 * What the client sends when the customer opens Home: the page's query alone, which also brings her
 * staff-access section for the portal-wide request notice (PortalChrome, client/src/portal/pageQuery.tsx).
 * While the customer's page is one request, `customer` is her page and the bench has no `customerPage`.
 */
const CUSTOMER_PAGE: SentOperation[] = [HOME_PAGE(false)];

/** The customer: 2 pets, 10 appointments, 8 invoices (about 7 KB per Home page). */
const CUSTOMER_SIZE = { pets: 2, appointments: 10, invoices: 8 };
export const CUSTOMER = 'chloe@example.test';

/** urql's fetchExchange headers for a query (`accept`), with the bearer token (client.ts). */
function clientHeaders(token: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept:
      'application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed',
    authorization: `Bearer ${token}`,
    'user-agent': 'salon-bench-pageload',
  };
}

/** The body urql's persistedExchange + fetchExchange POST for a generated document: the hash, no query. */
function persistedBody({ document, variables }: SentOperation, manifest: ReadonlyMap<string, string>): string {
  const hash = (document as DocumentNode & { __meta__?: { hash?: string } }).__meta__?.hash;
  if (!hash || !manifest.has(hash)) throw new Error('document missing from persisted-documents.json: run codegen');
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  return JSON.stringify({
    operationName: operation?.name?.value,
    variables,
    extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
  });
}

export type PageKind = 'staffView' | 'customer' | 'customerPage' | 'sameQuery';

/**
 * The page loads measured: `staffView` what the client sends in a staff view; `customer` the
 * customer's Home query; `customerPage` every request of the customer's Home (only while that is
 * more than the Home query); `sameQuery` the staff view sending exactly the customer's Home query
 * (the issue-13 "impersonated vs customer, same queries").
 */
export function pageLoads(
  tokens: { customer: string; staffView: string },
  manifest: ReadonlyMap<string, string>,
): Partial<Record<PageKind, PageLoad>> {
  const page = (token: string, operations: SentOperation[], staffView: boolean): PageLoad => ({
    headers: clientHeaders(token),
    bodies: operations.map((operation) => persistedBody(operation, manifest)),
    staffView,
  });
  return {
    staffView: page(tokens.staffView, [HOME_PAGE(true)], true),
    customer: page(tokens.customer, [HOME_PAGE(false)], false),
    ...(CUSTOMER_PAGE.length > 1 ? { customerPage: page(tokens.customer, CUSTOMER_PAGE, false) } : {}),
    sameQuery: page(tokens.staffView, [HOME_PAGE(false)], false),
  };
}

/** Adds pets, appointments (half upcoming) and invoices until the customer has CUSTOMER_SIZE. */
export async function sizeCustomer(app: TestApp) {
  const prisma = app.services.prisma;
  const customer = await prisma.customer.findUniqueOrThrow({
    where: { email: CUSTOMER },
    include: { _count: { select: { pets: true, appointments: true, invoices: true } } },
  });
  const service = await prisma.service.findFirstOrThrow({ where: { isAddOn: false } });
  const groomer = await prisma.staff.findFirstOrThrow({ where: { role: 'GROOMER' } });
  for (let i = customer._count.pets; i < CUSTOMER_SIZE.pets; i += 1)
    await prisma.pet.create({
      data: { customerId: customer.id, name: `Bench pet ${i}`, species: 'Dog', size: 'MEDIUM' },
    });
  const pets = await prisma.pet.findMany({ where: { customerId: customer.id }, orderBy: { createdAt: 'asc' } });
  const now = app.clock.now().getTime();
  const DAY = 86_400_000;
  for (let i = customer._count.appointments; i < CUSTOMER_SIZE.appointments; i += 1) {
    const startsAt = new Date(now + (i % 2 === 0 ? 1 : -1) * (i + 2) * DAY);
    await prisma.appointment.create({
      data: {
        customerId: customer.id,
        petId: pets[i % pets.length]!.id,
        serviceId: service.id,
        groomerId: groomer.id,
        startsAt,
        endsAt: new Date(startsAt.getTime() + service.durationMinutes * 60_000),
        status: startsAt.getTime() > now ? 'SCHEDULED' : 'COMPLETED',
      },
    });
  }
  for (let i = customer._count.invoices; i < CUSTOMER_SIZE.invoices; i += 1) {
    await prisma.invoice.create({
      data: {
        customerId: customer.id,
        number: `BENCH-${i}`,
        subtotalCents: service.basePriceCents,
        taxCents: 0,
        totalCents: service.basePriceCents,
        status: i % 3 === 0 ? 'PENDING' : 'PAID',
      },
    });
  }
  const sized = await prisma.customer.findUniqueOrThrow({
    where: { email: CUSTOMER },
    include: { _count: { select: { pets: true, appointments: true, invoices: true } } },
  });
  return sized._count;
}
