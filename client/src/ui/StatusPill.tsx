// A small coloured label for enum states (appointment, invoice, vaccination, session, audit outcome).
import { humanize } from '../format.ts';

export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

const TONES: Record<string, Tone> = {
  SCHEDULED: 'info',
  CONFIRMED: 'success',
  IN_PROGRESS: 'info',
  COMPLETED: 'neutral',
  CANCELLED: 'neutral',
  NO_SHOW: 'danger',
  PAID: 'success',
  PENDING: 'warning',
  DRAFT: 'neutral',
  VOID: 'neutral',
  VALID: 'success',
  EXPIRING: 'warning',
  EXPIRED: 'danger',
  ACTIVE: 'success',
  DISABLED: 'danger',
  ENDED: 'neutral',
  TERMINATED: 'danger',
  REVOKED: 'danger',
  STOPPED_BY_CUSTOMER: 'warning',
  STAFF_VIEWS_DISABLED: 'danger',
  TAMPERED: 'danger',
  ALLOWED: 'success',
  DENIED: 'danger',
};

export function StatusPill({ value, tone, label }: { value: string; tone?: Tone; label?: string }) {
  return <span className={`pill pill--${tone ?? TONES[value] ?? 'neutral'}`}>{label ?? humanize(value)}</span>;
}
