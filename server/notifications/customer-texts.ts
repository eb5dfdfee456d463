// Two audiences, two texts (SECURITY.md): what the customer reads about a staff view of her
// account. Staff-internal words (a termination's internal note, the kill switch's reason, why a
// sign-in was revoked, any recorded end reason) never reach her: her notices and access log are
// built only from the end state, the names, the manager's message to her, and her own time zone.
import type { BreakGlassCategory, BreakGlassDecision, ImpersonationEndState } from '@prisma/client';
import { z } from 'zod';
import { TERMINATE_REASON_MIN, reasonSchema } from '../impersonation/policy.ts';

/** The zones a customer's profile may name: the runtime's IANA zones, and UTC itself. */
const TIME_ZONES = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC']);

/** The longest zone name accepted (the longest IANA name is 30 characters). */
export const TIME_ZONE_MAX = 64;

/** Whether `zone` is one a profile may store. */
export const isTimeZone = (zone: string | null | undefined): zone is string => !!zone && TIME_ZONES.has(zone);

/**
 * The zone a customer's notices are written in: her profile's, else the salon's (SALON_TIME_ZONE),
 * else UTC, which every time then names.
 */
export function customerTimeZone(profileZone: string | null | undefined, salonZone?: string | null): string {
  if (isTimeZone(profileZone)) return profileZone;
  return isTimeZone(salonZone) ? salonZone : 'UTC';
}

/** "Jun 1, 2026, 10:27 AM PDT": a moment as the customer's clock shows it, with the zone named. */
export function formatCustomerTime(date: Date, timeZone: string): string {
  const time = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
  const zone = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' })
    .formatToParts(date)
    .find((part) => part.type === 'timeZoneName')?.value;
  return `${time} ${zone ?? timeZone}`;
}

/** What the customer's words about an end are built from: nothing a staff member wrote for staff. */
export interface CustomerEndFacts {
  endState: ImpersonationEndState;
  salonName: string;
  staffName: string;
  /** The manager who ended it, when not the staff member viewing. */
  endedByName: string | null;
}

/** How each end reads to the customer; none quotes the recorded (staff-internal) end reason. */
const END_PHRASES: Record<ImpersonationEndState, (facts: CustomerEndFacts) => string> = {
  ENDED: (facts) => `${facts.staffName} ended it`,
  EXPIRED: () => 'it reached its time limit',
  TERMINATED: (facts) => `a manager${facts.endedByName ? ` (${facts.endedByName})` : ''} stopped it`,
  REVOKED: (facts) => `${facts.salonName} withdrew ${facts.staffName}'s access`,
  STOPPED_BY_CUSTOMER: () => 'you stopped it',
  STAFF_VIEWS_DISABLED: (facts) => `${facts.salonName} turned off all staff views`,
  TAMPERED: (facts) => `${facts.salonName}'s safeguards ended it automatically`,
};

/** How the view ended, in the customer's words ("a manager (Max Okafor) stopped it"). */
export function customerEndPhrase(facts: CustomerEndFacts): string {
  return END_PHRASES[facts.endState](facts);
}

/**
 * What the salon told the customer about an end: a terminating manager's message to her, and
 * nothing otherwise (the internal note stays with staff and the audit).
 */
export function customerEndNote(session: {
  endState: ImpersonationEndState | null;
  customerMessage: string | null;
}): string | null {
  return session.endState === 'TERMINATED' ? session.customerMessage : null;
}

/** A terminating manager's message to the customer (optional): the reason rule's bounds. */
export const customerMessageSchema = reasonSchema(TERMINATE_REASON_MIN);

/** The profile's zone as she sets it: an IANA zone, or empty to clear it. */
export const profileTimeZone = z
  .string()
  .trim()
  .max(TIME_ZONE_MAX, `at most ${TIME_ZONE_MAX} characters`)
  .refine((zone) => zone === '' || TIME_ZONES.has(zone), 'an IANA time zone, such as America/Los_Angeles');

/**
 * The emergencies a break-glass start may name; each one a reason a salon cannot wait for the
 * customer's answer, with its words for her (she reads them in her notice and her access log).
 * - PET_HEALTH: her pet is at the salon or with a vet and needs a health fact now (allergies,
 *   vaccinations, a health alert or grooming note).
 * - SAFETY: the safety of her pet or of a person (a lost pet, a pickup by someone unknown).
 * - ACCOUNT_SECURITY: her account seems misused (a sign-in, a booking or a payment she did not make).
 * - LEGAL_OBLIGATION: the law gives the salon a deadline (a bite report to the authorities, a court order).
 */
export const BREAK_GLASS_CATEGORY_WORDS: Record<BreakGlassCategory, string> = {
  PET_HEALTH: 'an urgent question about your pet’s health',
  SAFETY: 'an urgent concern for the safety of your pet or of a person',
  ACCOUNT_SECURITY: 'a suspected misuse of your account',
  LEGAL_OBLIGATION: 'a legal obligation with a deadline',
};

/** Her access log's and history's words for an emergency access: "Emergency access: an urgent question about your pet’s health". */
export const emergencyAccessWords = (category: BreakGlassCategory) =>
  `Emergency access: ${BREAK_GLASS_CATEGORY_WORDS[category]}`;

/** What her history says of an emergency access besides its category (her notice says it will be reviewed). */
export const emergencyAccessNote = (salonName: string) =>
  `It was started without the usual approval; another manager at ${salonName} reviews every emergency access.`;

/** How each review decision reads to her: the decision only, never the reviewer's note (staff only). */
const REVIEW_PHRASES: Record<BreakGlassDecision, string> = {
  APPROVE: 'reviewed this emergency access and found it justified',
  FLAG: 'reviewed this emergency access and flagged it for a closer look',
};

/** "Max Okafor, another manager at Tidy Tails, reviewed this emergency access and found it justified." */
export function emergencyReviewWords(decision: BreakGlassDecision, reviewerName: string | null, salonName: string) {
  const who = reviewerName ? `${reviewerName}, another manager at ${salonName},` : `Another manager at ${salonName}`;
  return `${who} ${REVIEW_PHRASES[decision]}.`;
}

/** An emergency access nobody reviewed in time, in her words (the alert's details stay with staff). */
export const emergencyEscalatedWords = (salonName: string) =>
  `Nobody reviewed this emergency access in the time allowed, so the managers of ${salonName} were alerted.`;
