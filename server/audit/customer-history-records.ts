// Which of her records a staff view showed, named as she knows them: pets by name, appointments by
// service and date (in her time zone), invoices by number; other records are counted. Records
// deleted since keep their ids and count. Read once per download for every view it covers.
import type { PrismaClient } from '@prisma/client';
import type { PageView } from './pages.ts';
import type { ServedRecords } from './trace.ts';
import { formatCustomerTime } from '../notifications/customer-texts.ts';

/** The customer's words for each record type (singular, plural); unknown types read as "records". */
const NOUNS: Record<string, [one: string, many: string]> = {
  Customer: ['your account details', 'your account details'],
  Pet: ['pet', 'pets'],
  Vaccination: ['vaccination record', 'vaccination records'],
  Appointment: ['appointment', 'appointments'],
  ReportCard: ['report card', 'report cards'],
  Invoice: ['invoice', 'invoices'],
  PaymentMethod: ['payment method', 'payment methods'],
  Message: ['message', 'messages'],
  NotificationPreference: ['notification setting', 'notification settings'],
  NotificationSwitch: ['notification setting', 'notification settings'],
  StaffAccess: ['staff-access record', 'staff-access records'],
};

/** Names of her records by id. */
export type RecordLabels = ReadonlyMap<string, string>;

/** Names of the pets, appointments and invoices these views showed (hers only). */
export async function recordLabels(
  prisma: PrismaClient,
  customerId: string,
  views: readonly PageView[],
  timeZone: string,
): Promise<RecordLabels> {
  const idsOf = (type: string) => [...new Set(views.flatMap((view) => view.records[type]?.ids ?? []))];
  const [pets, appointments, invoices] = await Promise.all([
    prisma.pet.findMany({ where: { id: { in: idsOf('Pet') }, customerId }, select: { id: true, name: true } }),
    prisma.appointment.findMany({
      where: { id: { in: idsOf('Appointment') }, customerId },
      select: { id: true, startsAt: true, service: { select: { name: true } }, pet: { select: { name: true } } },
    }),
    prisma.invoice.findMany({
      where: { id: { in: idsOf('Invoice') }, customerId },
      select: { id: true, number: true },
    }),
  ]);
  return new Map([
    ...pets.map((pet) => [pet.id, pet.name] as const),
    ...appointments.map(
      (appointment) =>
        [
          appointment.id,
          `${appointment.service.name} for ${appointment.pet.name}, ${formatCustomerTime(appointment.startsAt, timeZone)}`,
        ] as const,
    ),
    ...invoices.map((invoice) => [invoice.id, `Invoice ${invoice.number}`] as const),
  ]);
}

/** One type of record a page showed: how many, which (ids), and the names of those that have one. */
export interface HistoryRecords {
  type: string;
  what: string;
  count: number;
  ids: string[];
  names: string[];
}

/** A page's served records, in her words. */
export function historyRecordsOf(records: ServedRecords, labels: RecordLabels): HistoryRecords[] {
  return Object.entries(records).map(([type, served]) => {
    const [one, many] = NOUNS[type] ?? ['record', 'records'];
    return {
      type,
      what: served.count === 1 ? one : many,
      count: served.count,
      ids: served.ids,
      names: served.ids.flatMap((id) => {
        const label = labels.get(id);
        return label ? [label] : [];
      }),
    };
  });
}
