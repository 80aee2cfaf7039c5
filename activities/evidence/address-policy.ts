/**
 * Which network addresses an evidence link may reach. Pure: a decision on an address string,
 * so the URL check and its tests share one rule.
 *
 * A link is fetched from inside the entity's network, so a link to 10.x, 169.254.169.254 (cloud
 * metadata) or localhost would let anyone who can submit evidence probe internal services.
 */
import ipaddr from 'ipaddr.js';

export interface AddressPolicy {
  allowPrivateNetworks: boolean;
  /** Exact addresses exempted from the block (normalised before comparing). */
  allowedAddresses?: readonly string[];
}

/**
 * `::ffff:127.0.0.1` reaches 127.0.0.1, so IPv4-mapped IPv6 is judged as the IPv4 it maps to;
 * `process` does that conversion.
 */
function canonical(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (!ipaddr.isValid(address)) return null;
  return ipaddr.process(address);
}

function sameAddress(a: ipaddr.IPv4 | ipaddr.IPv6, b: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  return a.kind() === b.kind() && a.toNormalizedString() === b.toNormalizedString();
}

/** Throws on an entry that is not an IP address: a configuration mistake should stop the worker. */
export function assertValidAddressList(addresses: readonly string[]): void {
  const invalid = addresses.filter((a) => canonical(a) === null);
  if (invalid.length > 0) throw new Error(`Not IP addresses: ${invalid.join(', ')}`);
}

/**
 * True when the address must not be contacted. Everything that is not plain global unicast is
 * blocked: loopback, private, link-local, unique-local, multicast, reserved, unspecified,
 * carrier-grade NAT, and the IPv6 transition ranges that can embed any of those. Anything that
 * does not parse is blocked too.
 */
export function isBlockedAddress(address: string, policy: AddressPolicy): boolean {
  const ip = canonical(address);
  if (ip === null) return true;
  if (policy.allowPrivateNetworks) return false;
  const exempt = (policy.allowedAddresses ?? []).some((a) => {
    const allowed = canonical(a);
    return allowed !== null && sameAddress(allowed, ip);
  });
  return !exempt && ip.range() !== 'unicast';
}
