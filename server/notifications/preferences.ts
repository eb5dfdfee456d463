// Whether a customer wants a staff-access notice on a channel. The category is on by default for
// email and for the portal's own messages (the Settings page's "App" column): a customer without a
// saved switch for it gets both. Customers turn either off in Settings.
import type { NotificationChannel, PrismaClient } from '@prisma/client';

/** The channels staff-access notices go to: email, and the portal's Messages ("App" in Settings). */
export const STAFF_ACCESS_CHANNELS = ['EMAIL', 'PUSH'] as const satisfies readonly NotificationChannel[];

/** A staff-access notice channel. */
export type StaffAccessChannel = (typeof STAFF_ACCESS_CHANNELS)[number];

/** The switch of a customer who never saved one for this category. */
export const STAFF_ACCESS_DEFAULT_ENABLED = true;

/** The customer's switch for staff-access notices on `channel` (the default when none is saved). */
export async function wantsStaffAccessNotice(
  prisma: Pick<PrismaClient, 'notificationPreference'>,
  customerId: string,
  channel: NotificationChannel,
): Promise<boolean> {
  const saved = await prisma.notificationPreference.findUnique({
    where: { customerId_category_channel: { customerId, category: 'STAFF_ACCESS', channel } },
    select: { enabled: true },
  });
  return saved?.enabled ?? STAFF_ACCESS_DEFAULT_ENABLED;
}
