// The customer's one conversation with the salon.
import { z } from 'zod';
import { builder } from './builder.ts';
import { MessageSenderEnum } from './enums.ts';
import { portalType } from './portal-read.ts';
import { MaskKind, sensitiveForStaff } from './staff-masks.ts';

builder.prismaObject('Message', {
  ...portalType,
  fields: (t) => ({
    id: t.exposeID('id'),
    sender: t.expose('sender', { type: MessageSenderEnum }),
    body: t.exposeString('body', sensitiveForStaff('MESSAGE_BODY', MaskKind.Text)),
    sentAt: t.expose('sentAt', { type: 'DateTime' }),
    staffName: t.string({
      nullable: true,
      select: { staff: { select: { name: true } } },
      resolve: (message) => message.staff?.name ?? null,
    }),
  }),
});

builder.mutationFields((t) => ({
  sendMessage: t.withAuth({ customer: true }).prismaField({
    type: 'Message',
    args: { body: t.arg.string({ required: true, validate: z.string().trim().min(1, 'must not be empty') }) },
    resolve: (query, _root, { body }, ctx) =>
      ctx.prisma.message.create({
        ...query,
        data: { customerId: ctx.customer.id, sender: 'CUSTOMER', body: body.trim(), sentAt: ctx.clock.now() },
      }),
  }),
}));
