// A customer's notification preferences (SPEC 1): the switches they saved, every switch as it
// stands with the server's defaults (notifications/preferences.ts, never a copy in the client), and
// the customer's own change of them.
import { z } from 'zod';
import { notificationSwitches, type NotificationSwitch as Switch } from '../notifications/preferences.ts';
import { builder } from './builder.ts';
import { Customer } from './customers.ts';
import { NotificationCategoryEnum, NotificationChannelEnum } from './enums.ts';
import { portalType } from './portal-read.ts';

/** One category x channel switch of a customer. */
export const NotificationPreference = builder.prismaObject('NotificationPreference', {
  ...portalType,
  fields: (t) => ({
    id: t.exposeID('id'),
    category: t.expose('category', { type: NotificationCategoryEnum }),
    channel: t.expose('channel', { type: NotificationChannelEnum }),
    enabled: t.exposeBoolean('enabled'),
  }),
});

/**
 * One category x channel switch as it stands for the customer, saved or not: what the Settings
 * page shows. The defaults are the server's (notifications/preferences.ts), never the client's.
 */
export const NotificationSwitch = builder.objectRef<Switch>('NotificationSwitch').implement({
  ...portalType,
  description: 'A category x channel switch as it stands: the saved one, or the default while none is saved.',
  fields: (t) => ({
    id: t.id({ resolve: (s) => `${s.customerId}:${s.category}:${s.channel}` }),
    category: t.expose('category', { type: NotificationCategoryEnum }),
    channel: t.expose('channel', { type: NotificationChannelEnum }),
    enabled: t.exposeBoolean('enabled', { description: 'The saved switch, or onByDefault while none is saved.' }),
    onByDefault: t.exposeBoolean('onByDefault', { description: 'The switch of a customer who never saved it.' }),
  }),
});

builder.prismaObjectFields(Customer, (t) => ({
  notificationPreferences: t.relation('notificationPreferences', {
    description: 'The switches the customer saved (none for a switch still at its default).',
    query: { orderBy: [{ category: 'asc' }, { channel: 'asc' }] },
  }),
  notificationSwitches: t.field({
    type: [NotificationSwitch],
    description: 'Every category x channel switch, saved or at its default.',
    select: { notificationPreferences: { select: { category: true, channel: true, enabled: true } } },
    resolve: (customer) => notificationSwitches(customer.id, customer.notificationPreferences),
  }),
}));

const PreferenceInput = builder.inputType('NotificationPreferenceInput', {
  fields: (t) => ({
    category: t.field({ type: NotificationCategoryEnum, required: true }),
    channel: t.field({ type: NotificationChannelEnum, required: true }),
    enabled: t.boolean({ required: true }),
  }),
});

builder.mutationFields((t) => ({
  updateNotificationPreferences: t.withAuth({ customer: true }).prismaField({
    type: [NotificationPreference],
    description: 'Sets the given category x channel switches; others stay as they are. Returns all of them.',
    args: {
      preferences: t.arg({
        type: [PreferenceInput],
        required: true,
        validate: z.array(z.any()).min(1).max(50),
      }),
    },
    resolve: async (query, _root, { preferences }, ctx) => {
      const customerId = ctx.customer.id;
      await ctx.prisma.$transaction(
        preferences.map(({ category, channel, enabled }) =>
          ctx.prisma.notificationPreference.upsert({
            where: { customerId_category_channel: { customerId, category, channel } },
            create: { customerId, category, channel, enabled },
            update: { enabled },
          }),
        ),
      );
      return ctx.prisma.notificationPreference.findMany({
        ...query,
        where: { customerId },
        orderBy: [{ category: 'asc' }, { channel: 'asc' }],
      });
    },
  }),
}));
