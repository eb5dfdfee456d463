// One access review as a CSV file for managers and auditors (issue 24): one row per manager
// reviewed, human column names, times in the salon's time zone (named in the headings). The
// cells go through the audit export's csvCell (quoting, and formulas defused for spreadsheets).
import type { AccessReview, AccessReviewDecision, AccessReviewItem, Staff } from '@prisma/client';
import { csvCell } from '../audit/export.ts';
import { localTime } from '../audit/periods.ts';

/** What a decision reads as in the file and on the page. */
export const DECISION_LABELS: Record<AccessReviewDecision | 'PENDING', string> = {
  PENDING: 'Waiting for a reviewer',
  CONFIRMED: 'Confirmed',
  REMOVED: 'Removed',
  SUSPENDED: 'Suspended (unanswered by the deadline)',
  NO_REVIEWER: 'Kept (no other manager could review)',
};

/** The salon's local time of an instant (audit/periods.ts), or nothing for none. */
const salonLocalTime = (instant: Date | null, zone: string): string => (instant ? localTime(instant, zone) : '');

/** A review with its items, each with the manager reviewed and the reviewer's name. */
export type ReviewForExport = AccessReview & {
  items: (AccessReviewItem & { staff: Pick<Staff, 'name' | 'email'>; decidedBy: Pick<Staff, 'name'> | null })[];
};

/** The file's name: `access-review-3-2026-12-07.csv` (its number and the salon's day it opened). */
export function reviewFileName(review: Pick<AccessReview, 'sequence' | 'openedAt'>, zone: string): string {
  return `access-review-${review.sequence}-${salonLocalTime(review.openedAt, zone).slice(0, 10)}.csv`;
}

/** The review as CSV (RFC 4180 line ends), one row per manager, in the salon's time zone `zone`. */
export function reviewCsv(review: ReviewForExport, zone: string): string {
  const headings = [
    'Review',
    `Period from (${zone})`,
    `Opened (${zone})`,
    `Deadline (${zone})`,
    'Manager',
    'Manager email',
    'Staff views',
    'Protected-customer views',
    'Break-glass uses',
    'Decision',
    'Decided by',
    `Decided at (${zone})`,
    'Note',
  ];
  const rows = review.items.map((item) => [
    review.sequence,
    review.periodStart ? salonLocalTime(review.periodStart, zone) : 'Start of records',
    salonLocalTime(review.openedAt, zone),
    salonLocalTime(review.deadlineAt, zone),
    item.staff.name,
    item.staff.email,
    item.views,
    item.protectedViews,
    item.breakGlassUses ?? 'Not recorded',
    DECISION_LABELS[item.decision ?? 'PENDING'],
    item.decidedBy?.name ?? (item.decision ? 'Deadline (automatic)' : ''),
    salonLocalTime(item.decidedAt, zone),
    item.note ?? '',
  ]);
  return [headings, ...rows].map((cells) => `${cells.map(csvCell).join(',')}\r\n`).join('');
}
