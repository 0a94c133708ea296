import type { RequestHandler } from 'express';
import {
  SenderAuthentication,
  checkRoutingKey,
  type ReceiverCredentials,
} from './auth';
import { parseJsonBody, readRawBody } from './body';
import { SignedDeliveries, duplicateReceipt } from './signedDeliveries';

/**
 * What stands before every receiver, in the order that keeps refusals cheap: credentials from
 * the headers (401/403 before a byte of the body is read), the body's bytes as sent (bounded),
 * a signature over them and the replay checks, and only then inflating, JSON parsing and the
 * limits on its shape. `req.body` is the parsed body for the OpenAPI validator and the handler.
 */
export function receiverGate(options: {
  receiver: string;
  credentials: ReceiverCredentials;
  senders: SenderAuthentication;
  deliveries: SignedDeliveries;
  maxBodyBytes: number;
}): RequestHandler {
  const { receiver, credentials, senders, deliveries, maxBodyBytes } = options;
  return async (req, res, next) => {
    const proof = await senders.beforeBody(req, credentials);
    const raw = await readRawBody(req, maxBodyBytes);
    if (proof.kind === 'signature') {
      deliveries.verify(proof, raw);
      const keys = deliveries.keysOf(receiver, proof);
      // Acknowledged rather than refused: a sender retrying after a lost answer is done, and a
      // replay has no effect either way.
      if (deliveries.seen(keys)) {
        res.status(202).json(duplicateReceipt(proof));
        return;
      }
      // Only once the delivery took effect: a retry after a failure must still be processed.
      res.on('finish', () => {
        if (res.statusCode >= 200 && res.statusCode < 300)
          deliveries.remember(keys);
      });
    }
    req.body = await parseJsonBody(req, raw, maxBodyBytes);
    if (proof.kind === 'routingKey')
      checkRoutingKey(req.body, proof.routingKeys);
    next();
  };
}
