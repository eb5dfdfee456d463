// One access review as a CSV file for managers and auditors (issue 24): one row per manager
// reviewed, human column names, times in the salon's time zone (named in the headings). The
// cells go through the audit export's csvCell (quoting, and formulas defused for spreadsheets).
import type { AccessReview, AccessReviewDecision, AccessReviewItem, Staff } from '@prisma/client';
import { csvCell } from '../audit/export.ts';

/** What a decision reads as in the file and on the page. */
export const DECISION_LABELS: Record<AccessReviewDecision | 'PENDING', string> = {
  PENDING: 'Waiting for a reviewer',
  CONFIRMED: 'Confirmed',
  REMOVED: 'Removed',
  SUSPENDED: 'Suspended (unanswered by the deadline)',
  NO_REVIEWER: 'Kept (no other manager could review)',
};

/** "2026-12-07 09:30" in `zone`: sorts as text; the zone is named once, in the column's heading. */
function salonLocalTime(instant: Date | null, zone: string): string {
  if (!instant) return '';
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

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
