import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Addresses a notification must not reach unless `aiops.routing.allowPrivateTargets` says so:
 * the backend's own network, its loopback and the cloud metadata service (169.254.169.254,
 * fd00:ec2::254) are reachable from the backend but not from the internet, so a webhook URL
 * pointing at them would let whoever configures routing probe them.
 */
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, with the metadata service
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, with the broadcast address
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128],
  ['fc00::', 7], // unique local, with AWS's fd00:ec2::254
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

/** IPv4 in IPv6 forms a resolver or URL may give, which reach the IPv4 address. */
const EMBEDDING_IPV4 = new BlockList();
EMBEDDING_IPV4.addSubnet('64:ff9b::', 96, 'ipv6'); // NAT64

/** True for an address in a private, loopback, link-local, unique-local or reserved range. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  if (family !== 6) return false;
  // BlockList maps ::ffff:a.b.c.d onto the IPv4 rules itself; NAT64 it does not.
  if (EMBEDDING_IPV4.check(address, 'ipv6')) return true;
  return PRIVATE.check(address, 'ipv6');
}

/** The `code` of the error a refused target fails with. */
export const PRIVATE_TARGET = 'EAIOPS_PRIVATE_TARGET';

export class PrivateTargetError extends Error {
  readonly code = PRIVATE_TARGET;

  constructor(host: string, address: string) {
    super(
      address === host
        ? `${address} is a private address; set aiops.routing.allowPrivateTargets to send there`
        : `${host} resolves to ${address}, a private address; set aiops.routing.allowPrivateTargets to send there`,
    );
    this.name = 'PrivateTargetError';
  }
}

/**
 * A `lookup` for the socket: the addresses checked are the ones it connects to, so a name that
 * resolved to a public address when checked and to a private one a moment later (DNS
 * rebinding) is still refused. Any private address among the answers refuses the name.
 */
export const publicOnlyLookup: LookupFunction = (
  hostname,
  options,
  callback,
) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) {
      callback(error, '', undefined);
      return;
    }
    const list = addresses as LookupAddress[];
    const refused = list.find(({ address }) => isPrivateAddress(address));
    if (refused) {
      callback(
        new PrivateTargetError(hostname, refused.address),
        '',
        undefined,
      );
    } else if (options.all) {
      // The typings only know the single-address form; sockets ask for all when racing families.
      (callback as unknown as (e: null, all: LookupAddress[]) => void)(
        null,
        list,
      );
    } else {
      callback(null, list[0].address, list[0].family);
    }
  });
};
