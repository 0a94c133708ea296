import type { Request } from 'express';
import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { AuthenticationError } from '@backstage/errors';
import { verifySha256Signature } from '../service/signature';

export const SIGNATURE_HEADER = 'x-aiops-signature-256';

/**
 * Senders prove who they are with a Backstage token (external access static token, or a
 * service/user token), or with an HMAC signature when a secret is configured for the source.
 * Receiver routes are opened at the HTTP policy level so that signed requests without a token
 * reach this check; everything else still needs valid credentials.
 */
export async function authenticateSender(
  req: Request,
  httpAuth: HttpAuthService,
  hmacSecret: string | undefined,
): Promise<void> {
  const signature = req.header(SIGNATURE_HEADER);
  if (signature && hmacSecret) {
    if (verifySha256Signature(req.rawBody ?? Buffer.alloc(0), signature, hmacSecret)) return;
    throw new AuthenticationError(`${SIGNATURE_HEADER} does not match the body`);
  }
  if (!req.header('authorization')) {
    throw new AuthenticationError(
      hmacSecret
        ? `missing credentials: send Authorization: Bearer <token> or ${SIGNATURE_HEADER}`
        : 'missing credentials: send Authorization: Bearer <token>',
    );
  }
  await httpAuth.credentials(req, { allow: ['service', 'user'] });
}
