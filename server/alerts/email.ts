// The managers' email of a raised alert (outbox notice ALERT_RAISED): staff-facing, one email to
// every active manager, times in the salon's time zone. Nothing here reaches a customer.
import type { PrismaClient } from '@prisma/client';
import type { Config } from '../config.ts';
import { formatCustomerTime } from '../notifications/customer-texts.ts';
import type { OutgoingMail } from '../notifications/mailer.ts';
import { renderLines } from '../notifications/staff-access-notice.ts';
import { RULE_DESCRIPTIONS } from './rules.ts';

/** The email of alert `alertId`, or null when no active manager has an address to send it to. */
export async function renderAlertEmail(
  prisma: PrismaClient,
  alertId: string,
  config: Pick<Config, 'SALON_NAME' | 'SALON_TIME_ZONE'>,
): Promise<Omit<OutgoingMail, 'messageId'> | null> {
  const alert = await prisma.alert.findUniqueOrThrow({ where: { id: alertId } });
  const managers = await prisma.staff.findMany({
    where: { role: 'MANAGER', active: true },
    select: { email: true },
    orderBy: { email: 'asc' },
  });
  if (managers.length === 0) return null;
  const [staff, customer] = await Promise.all([
    alert.staffId ? prisma.staff.findUnique({ where: { id: alert.staffId }, select: { name: true } }) : null,
    alert.customerId ? prisma.customer.findUnique({ where: { id: alert.customerId }, select: { name: true } }) : null,
  ]);
  const zone = config.SALON_TIME_ZONE ?? 'UTC';
  const lines = [
    "For the salon's managers: an alert was raised.",
    `${RULE_DESCRIPTIONS[alert.rule]}: ${alert.summary}`,
    ...(staff ? [`Staff member: ${staff.name}`] : []),
    ...(customer ? [`Customer: ${customer.name}`] : []),
    `Raised ${formatCustomerTime(alert.createdAt, zone)}.`,
    'Open Alerts in the admin app to see it and acknowledge it with a note.',
  ];
  const rendered = renderLines(`Alert: ${RULE_DESCRIPTIONS[alert.rule]}`, lines, config.SALON_NAME, null);
  return { ...rendered, to: managers.map((manager) => manager.email).join(', ') };
}
