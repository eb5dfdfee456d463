// The booking and rescheduling pickers: a local calendar date plus a half-hour slot in opening
// hours, turned into a UTC instant for the API.

export const OPENING_HOUR = 8;
export const CLOSING_HOUR = 17;

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-11-28" for an input[type=date], in local time. */
export const dateInputValue = (date: Date) =>
  `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

export const timeInputValue = (date: Date) => `${pad(date.getHours())}:${pad(date.getMinutes())}`;

/** Half-hour slots from opening to the last start before closing, as "HH:MM". */
export function timeSlots(): string[] {
  const slots: string[] = [];
  for (let minutes = OPENING_HOUR * 60; minutes < CLOSING_HOUR * 60; minutes += 30) {
    slots.push(`${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`);
  }
  return slots;
}

export function slotLabel(slot: string): string {
  const [h = 0, m = 0] = slot.split(':').map(Number);
  return new Date(2000, 0, 1, h, m).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
}

/** Local date + local time -> ISO UTC instant. */
export function toInstant(date: string, time: string): string {
  const [y = 1970, mo = 1, d = 1] = date.split('-').map(Number);
  const [h = 0, mi = 0] = time.split(':').map(Number);
  return new Date(y, mo - 1, d, h, mi).toISOString();
}

export function tomorrow(now = new Date()): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
}
