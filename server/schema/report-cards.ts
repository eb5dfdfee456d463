// Report cards (ReportCard): what the groomer wrote after an appointment, mood, condition and the
// next recommended visit; the customer reads their own, newest appointment first.
import { builder } from './builder.ts';
import { portalType } from './portal-read.ts';

builder.prismaObject('ReportCard', {
  ...portalType,
  fields: (t) => ({
    id: t.exposeID('id'),
    mood: t.exposeString('mood'),
    conditionNotes: t.exposeString('conditionNotes'),
    nextRecommendedDate: t.expose('nextRecommendedDate', { type: 'Date', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    appointment: t.relation('appointment'),
  }),
});

builder.queryField('reportCards', (t) =>
  t.withAuth({ customer: true }).prismaField({
    type: ['ReportCard'],
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.reportCard.findMany({
        ...query,
        where: { appointment: { customerId: ctx.customer.id } },
        orderBy: { appointment: { startsAt: 'desc' } },
      }),
  }),
);
