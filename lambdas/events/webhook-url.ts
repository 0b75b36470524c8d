/**
 * Which webhook URLs the gateway posts to. A SaaS product that posts to URLs its customers type is
 * a server-side request forgery risk: a URL naming `169.254.169.254` (instance metadata), a VPC
 * address or `localhost` would make the sender probe the operator's own network. So, deployed:
 * - `https` only (events carry personal data; signatures do not hide it);
 * - no user name or password in the URL (they would be logged as part of it);
 * - the host may not be an IP address outside the public internet (loopback, private, link-local,
 *   unique-local, carrier-grade NAT, documentation, multicast, reserved, and IPv6 forms that embed
 *   IPv4), nor a name that is local by construction (`localhost`, `*.localhost`, `*.local`,
 *   `*.internal`, `*.home.arpa`, a name without a dot).
 * A public name can still resolve to a private address, or change to one later (DNS rebinding),
 * so the sender checks every address it connects to with `isPublicAddress` (and reports a
 * refused one as `blocked-address`, retry-policy.ts); redirects are never followed.
 *
 * Locally (`npm start`), the gateway runs on the developer's own machine, whose network is theirs:
 * `https` to any host, and `http` to loopback (`localhost`, `127.0.0.0/8`, `::1`), where the
 * developer's receiver runs.
 */
import { BlockList, isIP } from 'node:net';

export type UrlMode = 'deployed' | 'local';

export const MAX_URL_LENGTH = 2048;

/** Addresses a deployed sender never connects to (IANA special-purpose registries, v4 and v6). */
const NOT_PUBLIC = (() => {
  const list = new BlockList();
  const v4: [string, number][] = [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.0.2.0', 24],
    ['192.88.99.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['198.51.100.0', 24],
    ['203.0.113.0', 24],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ];
  const v6: [string, number][] = [
    ['::', 128],
    ['::1', 128],
    // IPv4-compatible (deprecated) and NAT64 forms embed an IPv4 address the sender cannot vet.
    ['::', 96],
    ['64:ff9b::', 96],
    ['64:ff9b:1::', 48],
    ['100::', 64],
    ['2001::', 23],
    ['2001:db8::', 32],
    ['2002::', 16],
    ['fc00::', 7],
    ['fe80::', 10],
    ['fec0::', 10],
    ['ff00::', 8],
  ];
  for (const [network, prefix] of v4) list.addSubnet(network, prefix, 'ipv4');
  for (const [network, prefix] of v6) list.addSubnet(network, prefix, 'ipv6');
  return list;
})();

const LOOPBACK = (() => {
  const list = new BlockList();
  list.addSubnet('127.0.0.0', 8, 'ipv4');
  list.addAddress('::1', 'ipv6');
  return list;
})();

/** `[::1]` → `::1`: URL keeps the brackets of an IPv6 host. */
const bare = (host: string) => (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host);

const family = (address: string): 'ipv4' | 'ipv6' | undefined => {
  const kind = isIP(address);
  return kind === 4 ? 'ipv4' : kind === 6 ? 'ipv6' : undefined;
};

/** Whether the sender may connect to this resolved address when deployed. Not an IP address: false. */
export const isPublicAddress = (address: string): boolean => {
  const ip = bare(address);
  const kind = family(ip);
  // BlockList checks an IPv4-mapped IPv6 address (::ffff:10.0.0.1) against the IPv4 ranges too.
  return kind !== undefined && !NOT_PUBLIC.check(ip, kind);
};

const LOCAL_NAME = /(^|\.)(localhost|local|internal|home\.arpa)\.?$/i;

export const isLoopbackHost = (host: string): boolean => {
  const name = bare(host).toLowerCase();
  const kind = family(name);
  return kind ? LOOPBACK.check(name, kind) : name === 'localhost' || name.endsWith('.localhost');
};

export type UrlCheck = { ok: true; url: string } | { ok: false; problem: string };

/** Whether `raw` may be a webhook URL in this mode; the URL as it will be stored (WHATWG-normalized). */
export const checkWebhookUrl = (raw: string, mode: UrlMode): UrlCheck => {
  const refuse = (problem: string): UrlCheck => ({ ok: false, problem });
  if (raw.length > MAX_URL_LENGTH) return refuse(`the URL is longer than ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('not an absolute URL such as https://app.example.com/webhooks/scim');
  }
  if (url.username || url.password) return refuse('the URL may not hold a user name or password; the signature authenticates the gateway');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return refuse(`${url.protocol.replace(/:$/, '')} is not HTTP; use https`);
  const host = url.hostname;
  if (mode === 'local') {
    if (url.protocol === 'http:' && !isLoopbackHost(host)) return refuse('http is allowed for localhost, 127.0.0.1 and [::1] only; use https for any other host');
    return { ok: true, url: url.href };
  }
  if (url.protocol !== 'https:') return refuse('use https: events carry personal data');
  if (family(bare(host))) {
    if (!isPublicAddress(host)) return refuse(`${host} is not a public internet address`);
  } else if (LOCAL_NAME.test(host) || !host.includes('.')) {
    return refuse(`${host} is a local name, not one the internet can resolve`);
  }
  return { ok: true, url: url.href };
};
