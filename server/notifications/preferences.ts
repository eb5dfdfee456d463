// Notification switches a customer never saved, and whether a customer wants a staff-access notice
// on a channel. The one rule for defaults: staff-access notices are on by email and in the portal's
// own messages (the Settings page's "App" column), every other switch is off. The notice worker
// applies it to a customer without a saved switch, and the schema (`Customer.notificationSwitches`)
// shows it, so the Settings page reads it from here instead of keeping its own copy.
import { NotificationCategory, NotificationChannel, type PrismaClient } from '@prisma/client';

/** The channels staff-access notices go to: email, and the portal's Messages ("App" in Settings). */
export const STAFF_ACCESS_CHANNELS = ['EMAIL', 'PUSH'] as const satisfies readonly NotificationChannel[];

/** A staff-access notice channel. */
export type StaffAccessChannel = (typeof STAFF_ACCESS_CHANNELS)[number];

/**
 * Whether the `category` x `channel` switch is on for a customer who never saved it: staff-access
 * notices on their channels (email, portal messages), nothing else. The only copy of the defaults.
 */
export function onByDefault(category: NotificationCategory, channel: NotificationChannel): boolean {
  return category === 'STAFF_ACCESS' && (STAFF_ACCESS_CHANNELS as readonly NotificationChannel[]).includes(channel);
}

/** One category x channel switch as it stands for a customer. */
export interface NotificationSwitch {
  customerId: string;
  category: NotificationCategory;
  channel: NotificationChannel;
  /** The saved switch, or the default when none is saved. */
  enabled: boolean;
  /** What `enabled` is while the customer has not saved this switch. */
  onByDefault: boolean;
}

/**
 * Every category x channel switch of a customer, in the enums' order: each saved one as saved, the
 * others at their default.
 */
export function notificationSwitches(
  customerId: string,
  saved: readonly { category: NotificationCategory; channel: NotificationChannel; enabled: boolean }[],
): NotificationSwitch[] {
  const savedSwitch = new Map(saved.map((s) => [`${s.category}:${s.channel}`, s.enabled]));
  return Object.values(NotificationCategory).flatMap((category) =>
    Object.values(NotificationChannel).map((channel) => {
      const byDefault = onByDefault(category, channel);
      const enabled = savedSwitch.get(`${category}:${channel}`) ?? byDefault;
      return { customerId, category, channel, enabled, onByDefault: byDefault };
    }),
  );
}

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
  return saved?.enabled ?? onByDefault('STAFF_ACCESS', channel);
}
