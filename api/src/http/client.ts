import { isIPv4, isIPv6 } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { Config } from '../env';

/**
 * The client's network prefix (/24 for IPv4, /48 for IPv6), never the full address: enough to
 * rate-limit abuse from one network, not enough to single out a person (DESIGN §1.7).
 */
export function clientPrefix(c: Context, config: Config): string {
  let address: string | undefined;
  if (config.trustProxy) address = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
  if (!address) {
    try {
      address = getConnInfo(c).remote.address;
    } catch {
      address = undefined; // not served by @hono/node-server (in-process tests)
    }
  }
  return truncateAddress(address);
}

export function truncateAddress(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = address.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i);
  const ip = mapped?.[1] ?? address;
  if (isIPv4(ip)) return `${ip.split('.').slice(0, 3).join('.')}.0/24`;
  if (isIPv6(ip)) {
    const [head = '', tail = ''] = ip.toLowerCase().split('::');
    const headGroups = head ? head.split(':') : [];
    const tailGroups = tail ? tail.split(':') : [];
    const missing = 8 - headGroups.length - tailGroups.length;
    const groups = ip.includes('::')
      ? [...headGroups, ...Array(missing).fill('0'), ...tailGroups]
      : headGroups;
    return `${groups.slice(0, 3).join(':')}::/48`;
  }
  return 'unknown';
}
