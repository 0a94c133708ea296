import { createHash } from 'node:crypto';
import { AuthenticationError } from '@backstage/errors';
import { echoed, formatIsoDuration } from '@aiops/plugin-aiops-node';
import { ExpiringLruMap } from '../service/otlp/ExpiringLruMap';
import { verifySha256Signature } from '../service/signature';
import { TIMESTAMP_HEADER, type PendingProof } from './auth';

type SignatureProof = Extract<PendingProof, { kind: 'signature' }>;

/** Deliveries remembered per backend replica; beyond this the oldest are forgotten first. */
export const MAX_REMEMBERED_DELIVERIES = 50_000;
const UNIX_SECONDS = /^\d{1,12}$/;

/**
 * Signed deliveries: checks a signature over the bytes as sent, the signed timestamp's distance
 * from this server's clock, and whether the same delivery was already accepted.
 *
 * A replay inside the window is recognised by its delivery id (`X-GitHub-Delivery`,
 * `X-Aiops-Delivery`) and, when timestamped, by its signature, which is unique to its time and
 * body: an attacker cannot mint a new one, whereas a delivery id is not signed and can be
 * changed. Outside the window a timestamped delivery is refused. A delivery is remembered only
 * once it was answered with a 2xx, so a sender's retry after a failure is processed, and a
 * retry after a lost answer is acknowledged rather than refused. Memory is per replica and
 * bounded; behind several replicas a replay may reach one that has not seen the original, where
 * the timestamp still bounds it to the window (and redelivering the same signal is idempotent).
 */
export class SignedDeliveries {
  private readonly accepted: ExpiringLruMap<true>;

  constructor(
    private readonly options: {
      toleranceMs: number;
      now?: () => number;
      maxEntries?: number;
    },
  ) {
    this.accepted = new ExpiringLruMap({
      maxEntries: options.maxEntries ?? MAX_REMEMBERED_DELIVERIES,
      // As long as a timestamp accepted now can stay inside the window: up to one tolerance
      // ahead of this clock, then one tolerance behind it.
      ttlMs: 2 * options.toleranceMs,
      now: this.now,
    });
  }

  private readonly now = () => this.options.now?.() ?? Date.now();

  /** Throws 401 unless the signature matches and its timestamp, if any, is inside the window. */
  verify(proof: SignatureProof, rawBody: Buffer): void {
    const { timestamp } = proof;
    if (timestamp !== undefined && !UNIX_SECONDS.test(timestamp.trim())) {
      throw new AuthenticationError(
        `${TIMESTAMP_HEADER} must be Unix time in seconds, got ${JSON.stringify(
          echoed(timestamp),
        )}`,
      );
    }
    const signedTimestamp = timestamp?.trim();
    if (
      !verifySha256Signature(
        rawBody,
        proof.signature,
        proof.secret,
        signedTimestamp,
      )
    ) {
      throw new AuthenticationError(
        signedTimestamp === undefined
          ? `${proof.header} does not match the body`
          : `${proof.header} does not match "<${TIMESTAMP_HEADER}>.<body>"`,
      );
    }
    if (signedTimestamp === undefined) return;
    const skewMs = Math.abs(this.now() - Number(signedTimestamp) * 1000);
    if (skewMs > this.options.toleranceMs) {
      throw new AuthenticationError(
        `${TIMESTAMP_HEADER} is ${Math.round(
          skewMs / 1000,
        )} s away from this server's clock, more than the tolerance of ${formatIsoDuration(
          this.options.toleranceMs,
        )} (aiops.ingest.signatures.tolerance): a replayed or delayed delivery is refused`,
      );
    }
  }

  /** What identifies this delivery against replays: nothing for an unsigned request. */
  keysOf(receiver: string, proof: PendingProof): string[] {
    if (proof.kind !== 'signature') return [];
    const keys: string[] = [];
    // Hashed: bounded memory whatever a sender puts in a header.
    const key = (kind: string, value: string) =>
      createHash('sha256')
        .update(`${receiver}\n${kind}\n${value}`)
        .digest('base64');
    if (proof.delivery) keys.push(key('delivery', proof.delivery));
    if (proof.timestamp !== undefined)
      keys.push(key('signature', proof.signature.trim().toLowerCase()));
    return keys;
  }

  /** True when a delivery with one of these keys was already accepted within the window. */
  seen(keys: string[]): boolean {
    return keys.some(key => this.accepted.get(key) !== undefined);
  }

  remember(keys: string[]): void {
    for (const key of keys) this.accepted.set(key, true);
  }
}

/** The answer to a replayed delivery: acknowledged, with nothing done. */
export function duplicateReceipt(proof: SignatureProof) {
  const what = proof.delivery
    ? `delivery ${JSON.stringify(echoed(proof.delivery))}`
    : 'this signed delivery';
  return {
    status: 'duplicate',
    message: `${what} was already accepted; nothing was done`,
  };
}
