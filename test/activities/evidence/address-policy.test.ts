import { isBlockedAddress } from '../../../activities/evidence';

const closed = { allowPrivateNetworks: false };

describe('which addresses an evidence link may reach', () => {
  it.each([
    ['127.0.0.1', 'IPv4 loopback'],
    ['127.45.0.9', 'anywhere in 127/8'],
    ['10.0.0.1', 'private 10/8'],
    ['172.16.0.1', 'private 172.16/12'],
    ['172.31.255.254', 'the end of 172.16/12'],
    ['192.168.1.1', 'private 192.168/16'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['fe80::1', 'IPv6 link-local'],
    ['fc00::1', 'IPv6 unique-local'],
    ['fd12:3456::1', 'IPv6 unique-local (fd)'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex form'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['2002:7f00:1::1', '6to4 (can wrap any IPv4)'],
    ['no-es-una-ip', 'something that is not an address'],
    ['', 'an empty string'],
  ])('blocks %s (%s)', (address) => {
    expect(isBlockedAddress(address, closed)).toBe(true);
  });

  it.each([
    ['190.85.1.1', 'a public Colombian IPv4'],
    ['8.8.8.8', 'a public IPv4'],
    ['172.32.0.1', 'just outside 172.16/12'],
    ['2800:e2:2a80::1', 'a public IPv6'],
    ['::ffff:8.8.8.8', 'an IPv4-mapped public address'],
  ])('allows %s (%s)', (address) => {
    expect(isBlockedAddress(address, closed)).toBe(false);
  });

  it('allows private addresses when private networks are allowed (development)', () => {
    for (const address of ['127.0.0.1', '10.0.0.1', '::1', '169.254.169.254']) {
      expect(isBlockedAddress(address, { allowPrivateNetworks: true })).toBe(false);
    }
  });

  it('still blocks what is not an address even when private networks are allowed', () => {
    expect(isBlockedAddress('localhost', { allowPrivateNetworks: true })).toBe(true);
  });

  it('exempts exactly the listed addresses, in any notation, and nothing next to them', () => {
    const policy = { allowPrivateNetworks: false, allowedAddresses: ['10.0.0.5', 'fd00::5'] };
    expect(isBlockedAddress('10.0.0.5', policy)).toBe(false);
    expect(isBlockedAddress('::ffff:10.0.0.5', policy)).toBe(false);
    expect(isBlockedAddress('fd00:0:0:0:0:0:0:5', policy)).toBe(false);
    expect(isBlockedAddress('10.0.0.6', policy)).toBe(true);
    expect(isBlockedAddress('fd00::6', policy)).toBe(true);
  });
});
