import type { Request } from 'express';
import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import { aiopsSignalCreatePermission } from '@aiops/plugin-aiops-common';
import { isAllowed } from '@aiops/plugin-aiops-node';

export const SIGNATURE_HEADER = 'x-aiops-signature-256';
/** Unix seconds; when sent, the signature covers `<timestamp>.<body>`. */
export const TIMESTAMP_HEADER = 'x-aiops-timestamp';
export const DELIVERY_HEADER = 'x-aiops-delivery';
export const GITHUB_SIGNATURE_HEADER = 'x-hub-signature-256';
export const GITHUB_DELIVERY_HEADER = 'x-github-delivery';

/** How long an accepted opaque token is taken without asking Backstage again. */
export const REMEMBER_OPAQUE_TOKEN_MS = 10_000;
const MAX_REMEMBERED_TOKENS = 1000;

const BEARER = /^Bearer[ ]+(\S+)$/i;
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;

/** How a receiver's senders may prove who they are besides a token. */
export type ReceiverCredentials =
  | {
      scheme: 'aiops';
      /** Secret of `X-Aiops-Signature-256`; none means signatures are not taken. */
      hmacSecret?: string;
      /** PagerDuty change events: integration keys a body's `routing_key` may be. */
      routingKeys?: string[];
    }
  /** GitHub cannot send a bearer token: its webhook signature is the only credential. */
  | { scheme: 'github'; webhookSecret?: string };

/** What the body still has to prove once it is read. */
export type PendingProof =
  | { kind: 'none' }
  | {
      kind: 'signature';
      header: string;
      signature: string;
      secret: string;
      /** Signed together with the body when sent. */
      timestamp?: string;
      /** The sender's id of this delivery, remembered against replays. */
      delivery?: string;
    }
  | { kind: 'routingKey'; routingKeys: string[] };

/**
 * Senders prove who they are with a Backstage token or with an HMAC signature when a secret is
 * configured for the receiver. External-access (static) tokens and service tokens are senders;
 * a user token is one only with the `aiops.signal.create` permission (the suite's policy keeps
 * it for administrators), so portal access alone cannot page anyone or record a deploy.
 * Receiver routes are opened at the HTTP policy level so that signed requests without a token
 * reach this check.
 *
 * Everything here is decided from headers, before a byte of the body is read: a request
 * without valid credentials never costs a read, an inflate or a parse. Signatures need the
 * body's bytes, so they come back as a proof to check once it is read (but not inflated).
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
    private readonly permissions: PermissionsService,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws 401 or 403 when the headers cannot authenticate a sender of this receiver. */
  async beforeBody(
    req: Request,
    receiver: ReceiverCredentials,
  ): Promise<PendingProof> {
    if (receiver.scheme === 'github')
      return githubProof(req, receiver.webhookSecret);
    const signature = req.header(SIGNATURE_HEADER);
    if (signature && receiver.hmacSecret) {
      return {
        kind: 'signature',
        header: SIGNATURE_HEADER,
        signature,
        secret: receiver.hmacSecret,
        timestamp: req.header(TIMESTAMP_HEADER),
        delivery: req.header(DELIVERY_HEADER),
      };
    }
    if (req.header('authorization')) {
      await this.authenticateToken(req);
      return { kind: 'none' };
    }
    if (receiver.routingKeys) {
      // A routing_key is read from the body, so it is only worth reading when one could match.
      if (receiver.routingKeys.length > 0 && !signature) {
        return { kind: 'routingKey', routingKeys: receiver.routingKeys };
      }
      throw new AuthenticationError(
        'missing credentials: send Authorization: Bearer <token>, or a routing_key listed in aiops.ingest.pagerduty.routingKeys',
      );
    }
    throw new AuthenticationError(
      receiver.hmacSecret
        ? `missing credentials: send Authorization: Bearer <token> or ${SIGNATURE_HEADER}`
        : 'missing credentials: send Authorization: Bearer <token>',
    );
  }

  /** The answer to `Authorization: Bearer`: a sender's token, or a user allowed to send. */
  async authenticateToken(req: Request): Promise<void> {
    const token = BEARER.exec(req.header('authorization') ?? '')?.[1];
    const now = this.now();
    if (token && (this.acceptedUntil.get(token) ?? 0) > now) return;
    const credentials = await this.httpAuth.credentials(req, {
      allow: ['service', 'user'],
    });
    if (credentials.principal.type === 'user') {
      if (
        await isAllowed(
          this.permissions,
          aiopsSignalCreatePermission,
          credentials,
        )
      )
        return;
      throw new NotAllowedError(
        `${credentials.principal.userEntityRef} may not send signals: a user token needs the ${aiopsSignalCreatePermission.name} permission. Senders authenticate with an external-access token, a service token or an HMAC signature`,
      );
    }
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

function githubProof(
  req: Request,
  webhookSecret: string | undefined,
): PendingProof {
  if (!webhookSecret) {
    throw new AuthenticationError(
      'GitHub webhooks are not enabled: set aiops.ingest.github.webhookSecret',
    );
  }
  const signature = req.header(GITHUB_SIGNATURE_HEADER);
  if (!signature)
    throw new AuthenticationError('X-Hub-Signature-256 is required');
  return {
    kind: 'signature',
    header: GITHUB_SIGNATURE_HEADER,
    signature,
    secret: webhookSecret,
    delivery: req.header(GITHUB_DELIVERY_HEADER),
  };
}

/**
 * PagerDuty's senders (Ansible's `pagerduty_change`, SDKs pointed at another endpoint) can send
 * a change event elsewhere but cannot add a header: the integration key in the body is their
 * credential. Throws unless the parsed body's `routing_key` is one of `routingKeys`.
 */
export function checkRoutingKey(body: unknown, routingKeys: string[]): void {
  const routingKey: unknown = (body as { routing_key?: unknown } | null)
    ?.routing_key;
  if (typeof routingKey !== 'string' || routingKey === '') {
    throw new AuthenticationError(
      'missing credentials: send Authorization: Bearer <token>, or a routing_key listed in aiops.ingest.pagerduty.routingKeys',
    );
  }
  // Digests have one length, so the comparison takes the same time whatever was sent.
  const digest = (key: string) => createHash('sha256').update(key).digest();
  const sent = digest(routingKey);
  if (routingKeys.some(key => timingSafeEqual(digest(key), sent))) return;
  throw new AuthenticationError(
    'routing_key is not one of aiops.ingest.pagerduty.routingKeys, and no Authorization header was sent',
  );
}
