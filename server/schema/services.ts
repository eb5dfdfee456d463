// The salon's bookable services (Service) and the public `services` list: what a customer picks
// when booking, with its price in cents and its duration.
import { builder } from './builder.ts';

builder.prismaObject('Service', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    basePriceCents: t.exposeInt('basePriceCents'),
    durationMinutes: t.exposeInt('durationMinutes'),
    isAddOn: t.exposeBoolean('isAddOn'),
  }),
});

builder.queryField('services', (t) =>
  t.prismaField({
    type: ['Service'],
    description: 'The salon’s bookable services, public.',
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.service.findMany({
        ...query,
        where: { active: true },
        orderBy: [{ isAddOn: 'asc' }, { name: 'asc' }],
      }),
  }),
);
