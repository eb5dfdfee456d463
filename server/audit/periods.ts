// The audit browser's date presets (today, the last 7 days, last month) and the monthly report's
// months, as [from, to) instants of the salon's calendar (SALON_TIME_ZONE, else UTC): "last week" is
// the salon's week whoever reads it, so a manager abroad and the CSV agree. Pure functions of (now,
// zone). Hand-written on Intl rather than a date library: only midnights are needed, and Intl knows
// every zone's offsets (DST included).

/** The presets; a custom range is given as from/to instead. */
export const AuditPeriod = {
  TODAY: 'TODAY',
  LAST_7_DAYS: 'LAST_7_DAYS',
  LAST_MONTH: 'LAST_MONTH',
} as const;

/** A preset's name. */
export type AuditPeriod = (typeof AuditPeriod)[keyof typeof AuditPeriod];

/** A half-open range of instants. */
export interface Range {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

/** A calendar day of the salon: year, month (1-12), day (1-31). */
interface Day {
  year: number;
  month: number;
  day: number;
}

/** The salon's calendar day at an instant. */
function dayIn(instant: Date, zone: string): Day {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(instant);
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { year: part('year'), month: part('month'), day: part('day') };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function offsetAt(instant: Date, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant the salon's day begins (Date.UTC normalises a day or month out of range). */
export function startOfDay(day: Day, zone: string): Date {
  const wall = Date.UTC(day.year, day.month - 1, day.day);
  // The offset at the guess, then again at the corrected instant: a DST change near midnight moves it.
  const first = wall - offsetAt(new Date(wall), zone);
  return new Date(wall - offsetAt(new Date(first), zone));
}

/** A preset as instants of the salon's calendar at `now`; the last 7 days include today. */
export function periodRange(period: AuditPeriod, now: Date, zone: string): Range {
  const today = dayIn(now, zone);
  const tomorrow = startOfDay({ ...today, day: today.day + 1 }, zone);
  switch (period) {
    case AuditPeriod.TODAY:
      return { from: startOfDay(today, zone), to: tomorrow };
    case AuditPeriod.LAST_7_DAYS:
      return { from: startOfDay({ ...today, day: today.day - 6 }, zone), to: tomorrow };
    case AuditPeriod.LAST_MONTH:
      return monthRange({ year: today.year, month: today.month - 1 }, zone);
  }
}

/** A calendar month of the salon (month 1-12; 0 or 13 roll into the next year). */
export function monthRange(month: { year: number; month: number }, zone: string): Range {
  return {
    from: startOfDay({ year: month.year, month: month.month, day: 1 }, zone),
    to: startOfDay({ year: month.year, month: month.month + 1, day: 1 }, zone),
  };
}

/** The salon's month before the one `now` is in. */
export function previousMonth(now: Date, zone: string): { year: number; month: number } {
  const today = dayIn(now, zone);
  return today.month === 1 ? { year: today.year - 1, month: 12 } : { year: today.year, month: today.month - 1 };
}

/** The salon's zone: SALON_TIME_ZONE, else UTC. */
export const salonZone = (config: { SALON_TIME_ZONE?: string | undefined }) => config.SALON_TIME_ZONE ?? 'UTC';

/**
 * "2026-12-07 09:30" in the zone: the local time a spreadsheet sorts as text (the zone is named in
 * the column's heading, not repeated in every cell).
 */
export function localTime(instant: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}
