// Where a webhook may be sent (SSRF): only http(s) URLs without credentials, and, unless
// WEBHOOK_ALLOW_PRIVATE_TARGETS (default: off in production, on elsewhere so tests can run a
// receiver on 127.0.0.1), only public addresses. The address is checked twice: the URL's host when
// a manager adds the endpoint (a literal IP, or a name that resolves to an internal address), and
// every connection's resolved address in the worker's dispatcher (`guardedLookup`), so a name that
// later resolves inside the network (DNS rebinding) is refused too. Redirects are not followed.
// Hand-written on node:net's BlockList (no dependency): the list is the IANA special-purpose ranges.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** Ranges a webhook never reaches in production: loopback, private, link-local, CGNAT, multicast, reserved. */
const INTERNAL = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  INTERNAL.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  INTERNAL.addSubnet(network, prefix, 'ipv6');

/** Whether an IP address is internal (an IPv4-mapped IPv6 address counts as its IPv4 address). */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return INTERNAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A target the settings refuse, with a message a manager can act on. */
export class WebhookTargetError extends Error {}

/** The host of a URL as an IP literal (brackets off), or null for a name. */
function literalAddress(url: URL): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return isIP(host) ? host : null;
}

/**
 * Checks an endpoint URL's form and, when internal targets are refused, its address (a literal IP
 * as given; a name as it resolves now). Throws WebhookTargetError.
 */
export async function checkWebhookTarget(raw: string, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookTargetError('Not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new WebhookTargetError('Use an http(s) URL');
  if (url.username || url.password) throw new WebhookTargetError('Leave user and password out of the URL');
  if (allowPrivate) return url;
  const literal = literalAddress(url);
  if (literal) {
    if (isInternalAddress(literal)) throw new WebhookTargetError('This address is inside the network');
    return url;
  }
  const addresses = await new Promise<LookupAddress[]>((resolve, reject) =>
    dnsLookup(url.hostname, { all: true }, (error, found) => (error ? reject(error) : resolve(found))),
  ).catch(() => {
    throw new WebhookTargetError('This host name does not resolve');
  });
  if (addresses.some((entry) => isInternalAddress(entry.address)))
    throw new WebhookTargetError('This host name resolves inside the network');
  return url;
}

/**
 * The worker's DNS lookup when internal targets are refused: resolves as usual, and fails the
 * connection when any address is internal.
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const found = addresses as LookupAddress[];
    const internal = found.find((entry) => isInternalAddress(entry.address));
    if (internal)
      return callback(new WebhookTargetError(`${hostname} resolves inside the network (${internal.address})`), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, found);
    return callback(null, found[0]!.address, found[0]!.family);
  });
};
