import type { NetworkInterfaceInfo } from 'node:os';
import { listenHost } from './bootstrap';

const address = (family: 'IPv4' | 'IPv6', value: string): NetworkInterfaceInfo =>
  ({ family, address: value, netmask: '', mac: '00:00:00:00:00:00', internal: false, cidr: null }) as NetworkInterfaceInfo;

const DUAL_STACK = { lo: [address('IPv4', '127.0.0.1'), address('IPv6', '::1')], eth0: [address('IPv4', '10.0.0.5')] };
const IPV4_ONLY = { lo: [address('IPv4', '127.0.0.1')], eth0: [address('IPv4', '10.0.0.5')] };

describe('listenHost', () => {
  it.each([
    ['HOST set: that interface only', '127.0.0.1', DUAL_STACK, '127.0.0.1'],
    ['HOST set to an IPv6 address', '::1', IPV4_ONLY, '::1'],
    ['HOST unset on a machine with IPv6: every interface, IPv4 included', undefined, DUAL_STACK, '::'],
    ['HOST unset on an IPv4-only machine (IPv6 off in the container): every IPv4 interface', undefined, IPV4_ONLY, '0.0.0.0'],
    ['HOST empty counts as unset', '', IPV4_ONLY, '0.0.0.0'],
  ])('%s', (_case, host, interfaces, expected) => {
    expect(listenHost(host, interfaces)).toBe(expected);
  });
});
