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
  PortalSection,
  StaffRole,
} from '@prisma/client';
import { builder } from './builder.ts';

/** Active or disabled. */
export const CustomerStatusEnum = builder.enumType(CustomerStatus, { name: 'CustomerStatus' });
/** What a notification is about. */
export const NotificationCategoryEnum = builder.enumType(NotificationCategory, { name: 'NotificationCategory' });
/** How a notification is sent. */
export const NotificationChannelEnum = builder.enumType(NotificationChannel, { name: 'NotificationChannel' });
/** A pet's size category. */
export const PetSizeEnum = builder.enumType(PetSize, { name: 'PetSize' });
/** Groomer, receptionist or manager. */
export const StaffRoleEnum = builder.enumType(StaffRole, { name: 'StaffRole' });
/** An appointment's status. */
export const AppointmentStatusEnum = builder.enumType(AppointmentStatus, { name: 'AppointmentStatus' });
/** An invoice's status. */
export const InvoiceStatusEnum = builder.enumType(InvoiceStatus, { name: 'InvoiceStatus' });
/** Who wrote a message. */
export const MessageSenderEnum = builder.enumType(MessageSender, { name: 'MessageSender' });
/** How an impersonation session ended. */
export const ImpersonationEndStateEnum = builder.enumType(ImpersonationEndState, { name: 'ImpersonationEndState' });
/** What an audit record records. */
export const AuditActionEnum = builder.enumType(AuditAction, { name: 'AuditAction' });
/** Whether the recorded attempt was served. */
export const AuditOutcomeEnum = builder.enumType(AuditOutcome, { name: 'AuditOutcome' });

/** A portal section a staff view may read (impersonation/scope.ts; fields: portal-sections.ts). */
export const PortalSectionEnum = builder.enumType(PortalSection, {
  name: 'PortalSection',
  description: 'A portal section a staff view may read; WHOLE_PORTAL stands alone and needs a stated need.',
});
