import type { Request } from 'express';
import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AuthenticationError } from '@backstage/errors';
import { verifySha256Signature } from '../service/signature';

export const SIGNATURE_HEADER = 'x-aiops-signature-256';

/** How long an accepted opaque token is taken without asking Backstage again. */
export const REMEMBER_OPAQUE_TOKEN_MS = 10_000;
const MAX_REMEMBERED_TOKENS = 1000;

const BEARER = /^Bearer[ ]+(\S+)$/i;
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;

/**
 * Senders prove who they are with a Backstage token (external access static token, or a
 * service/user token), or with an HMAC signature when a secret is configured for the source.
 * Receiver routes are opened at the HTTP policy level so that signed requests without a token
 * reach this check; everything else still needs valid credentials.
 *
 * Alert sources send a request per notification with the same static token, and Backstage tries
 * that token as a plugin token and as a user token (each a failed JWT decode) before the
 * external-access handlers: a fifth of a single-alert request's CPU. So an accepted token that
 * is not a JWT is taken again for `REMEMBER_OPAQUE_TOKEN_MS` without asking. Static tokens are
 * read from config once at startup, so for them nothing changes; a custom external-access
 * handler that revokes opaque tokens sees ingest honour a revocation that much later. JWTs
 * (plugin, user, JWKS and legacy tokens) carry their own expiry and are always verified.
 */
export class SenderAuthentication {
  private readonly acceptedUntil = new Map<string, number>();

  constructor(
    private readonly httpAuth: HttpAuthService,
    private readonly now: () => number = Date.now,
  ) {}

  async authenticate(req: Request, hmacSecret: string | undefined): Promise<void> {
    const signature = req.header(SIGNATURE_HEADER);
    if (signature && hmacSecret) {
      if (verifySha256Signature(req.rawBody ?? Buffer.alloc(0), signature, hmacSecret)) return;
      throw new AuthenticationError(`${SIGNATURE_HEADER} does not match the body`);
    }
    const authorization = req.header('authorization');
    if (!authorization) {
      throw new AuthenticationError(
        hmacSecret
          ? `missing credentials: send Authorization: Bearer <token> or ${SIGNATURE_HEADER}`
          : 'missing credentials: send Authorization: Bearer <token>',
      );
    }
    const token = BEARER.exec(authorization)?.[1];
    const now = this.now();
    if (token && (this.acceptedUntil.get(token) ?? 0) > now) return;
    await this.httpAuth.credentials(req, { allow: ['service', 'user'] });
    if (token && !JWT_SHAPE.test(token)) this.remember(token, now);
  }

  private remember(token: string, now: number) {
    this.acceptedUntil.delete(token);
    if (this.acceptedUntil.size >= MAX_REMEMBERED_TOKENS) {
      // Oldest first: a Map iterates in insertion order.
      this.acceptedUntil.delete(this.acceptedUntil.keys().next().value!);
    }
    this.acceptedUntil.set(token, now + REMEMBER_OPAQUE_TOKEN_MS);
  }
}

/**
 * PagerDuty's senders (Ansible's `pagerduty_change`, SDKs pointed at another endpoint) can send
 * a change event elsewhere but cannot add a header: the integration key in the body is their
 * credential. Returns true when a request without header credentials carries a `routing_key`
 * listed in `routingKeys`; false when it has header credentials, which decide instead; throws
 * when its only credential is a `routing_key` that is not listed.
 */
export function acceptedByRoutingKey(req: Request, routingKeys: string[]): boolean {
  if (req.header('authorization') || req.header(SIGNATURE_HEADER)) return false;
  const routingKey: unknown = req.body?.routing_key;
  if (typeof routingKey !== 'string' || routingKey === '') return false;
  // Digests have one length, so the comparison takes the same time whatever was sent.
  const digest = (key: string) => createHash('sha256').update(key).digest();
  const sent = digest(routingKey);
  if (routingKeys.some(key => timingSafeEqual(digest(key), sent))) return true;
  throw new AuthenticationError(
    routingKeys.length > 0
      ? 'routing_key is not one of aiops.ingest.pagerduty.routingKeys, and no Authorization header was sent'
      : 'missing credentials: send Authorization: Bearer <token>, or list this routing_key in aiops.ingest.pagerduty.routingKeys',
  );
}
