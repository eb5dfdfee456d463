// Prisma's enums, exposed to GraphQL under the same names: one definition (prisma/schema.prisma)
// for the database, the schema and, through codegen, the client.
import {
  AppointmentStatus,
  AuditAction,
  AuditOutcome,
  CustomerStatus,
  ImpersonationEndState,
  InvoiceStatus,
  MessageSender,
  NotificationCategory,
  NotificationChannel,
  PetSize,
  StaffRole,
} from '@prisma/client';
import { builder } from './builder.ts';

export const CustomerStatusEnum = builder.enumType(CustomerStatus, { name: 'CustomerStatus' });
export const NotificationCategoryEnum = builder.enumType(NotificationCategory, { name: 'NotificationCategory' });
export const NotificationChannelEnum = builder.enumType(NotificationChannel, { name: 'NotificationChannel' });
export const PetSizeEnum = builder.enumType(PetSize, { name: 'PetSize' });
export const StaffRoleEnum = builder.enumType(StaffRole, { name: 'StaffRole' });
export const AppointmentStatusEnum = builder.enumType(AppointmentStatus, { name: 'AppointmentStatus' });
export const InvoiceStatusEnum = builder.enumType(InvoiceStatus, { name: 'InvoiceStatus' });
export const MessageSenderEnum = builder.enumType(MessageSender, { name: 'MessageSender' });
export const ImpersonationEndStateEnum = builder.enumType(ImpersonationEndState, { name: 'ImpersonationEndState' });
export const AuditActionEnum = builder.enumType(AuditAction, { name: 'AuditAction' });
export const AuditOutcomeEnum = builder.enumType(AuditOutcome, { name: 'AuditOutcome' });
