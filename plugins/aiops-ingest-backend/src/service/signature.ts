import { createHmac, timingSafeEqual } from 'node:crypto';

const SHA256_SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks a `sha256=<hex HMAC-SHA256 of the raw body>` signature (GitHub's `X-Hub-Signature-256`,
 * the suite's `X-Aiops-Signature-256`) in constant time. With a `timestamp`, what is signed is
 * `<timestamp>.<raw body>` (Stripe's and Slack's scheme), so the time cannot be changed without
 * the secret.
 * Never throws: a missing, malformed or legacy `sha1=` header is simply not a valid signature.
 * Without a secret nothing verifies, since an HMAC under an empty key is anyone's to compute.
 */
export function verifySha256Signature(
  rawBody: Buffer,
  signatureHeader: string | undefined,
  secret: string | undefined,
  timestamp?: string,
): boolean {
  if (!secret) return false;
  const hex = SHA256_SIGNATURE.exec(signatureHeader?.trim() ?? '')?.[1];
  if (!hex) return false;
  const hmac = createHmac('sha256', secret);
  if (timestamp !== undefined) hmac.update(`${timestamp}.`);
  const expected = hmac.update(rawBody).digest();
  return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
}
