// Whether staff views are on salon-wide: the kill switch's position (one SalonSettings row, so
// every instance reads the same) and the refusal of a start while they are off. Turning the switch
// is kill-switch.ts; the start's own check is here so the lifecycle need not import the switch.
import type { Prisma, SalonSettings } from '@prisma/client';
import type { Services } from '../context.ts';
import { ErrorCode, appError } from '../errors.ts';

/** The settings row's id: there is one. */
export const SETTINGS_ID = 1;

/** The row when it is missing (a database migrated by hand): staff views on. */
const DEFAULT_SETTINGS: SalonSettings = {
  id: SETTINGS_ID,
  staffViewsEnabled: true,
  staffViewsReason: null,
  staffViewsChangedAt: null,
  staffViewsChangedById: null,
  accessReviewsSince: null,
};

/** The refusal of a start while staff views are off. */
const impersonationDisabled = (settings: Pick<SalonSettings, 'staffViewsReason'>) =>
  appError(ErrorCode.ImpersonationDisabled, 'Staff views are turned off salon-wide', {
    reason: settings.staffViewsReason,
  });

/** The salon's settings as stored now. */
export async function salonSettings(prisma: Services['prisma']): Promise<SalonSettings> {
  return (await prisma.salonSettings.findUnique({ where: { id: SETTINGS_ID } })) ?? DEFAULT_SETTINGS;
}

/** Refuses with IMPERSONATION_DISABLED while staff views are off (the early check, before the password). */
export async function assertStaffViewsEnabled(prisma: Services['prisma']): Promise<void> {
  const settings = await salonSettings(prisma);
  if (!settings.staffViewsEnabled) throw impersonationDisabled(settings);
}

/**
 * The authoritative check, inside a start's transaction: it holds the row FOR SHARE until the start
 * commits, and the switch's update waits for it. So a start either commits first (and the switch
 * then ends it with the others) or sees staff views off.
 */
export async function assertStaffViewsEnabledInTransaction(tx: Prisma.TransactionClient): Promise<void> {
  const rows = await tx.$queryRaw<Pick<SalonSettings, 'staffViewsEnabled' | 'staffViewsReason'>[]>`
    SELECT "staffViewsEnabled", "staffViewsReason" FROM "SalonSettings" WHERE id = ${SETTINGS_ID} FOR SHARE`;
  const settings = rows[0];
  if (settings && !settings.staffViewsEnabled) throw impersonationDisabled(settings);
}
