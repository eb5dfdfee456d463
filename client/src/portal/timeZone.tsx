// The customer's time zone: her notices (emails, portal messages) are written in the zone of her
// profile. It defaults from her browser, set once, the first time she opens her own portal without
// one (never during a staff view, which changes nothing); she may change it in Settings.
import { useEffect, useRef } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../gql/gql.ts';

export const SetTimeZoneMutation = graphql(`
  mutation SetTimeZone($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      id
      timeZone
    }
  }
`);

/** The browser's IANA zone, or null when it does not say. */
export function browserTimeZone(): string | null {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}

/** The zones to choose from: the browser's IANA list, with `current` kept when it is not in it. */
export function timeZoneChoices(current: string | null): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return current && !zones.includes(current) ? [current, ...zones] : zones;
}

/**
 * Sets the profile's zone from the browser once, when the profile has none. Called with the
 * staff-access section's data (useStaffAccess, which carries the zone: no request of its own) by
 * the portal-wide request notice, mounted in the customer's own portal only: never in a staff view.
 */
export function useTimeZoneDefault(profile: { timeZone?: string | null } | null | undefined) {
  const [, setTimeZone] = useMutation(SetTimeZoneMutation);
  const tried = useRef(false);
  useEffect(() => {
    if (!profile || profile.timeZone || tried.current) return;
    const zone = browserTimeZone();
    tried.current = true;
    if (zone && timeZoneChoices(null).includes(zone)) void setTimeZone({ input: { timeZone: zone } });
  }, [profile, setTimeZone]);
}
