'use strict';

/**
 * A local receiver for the correlation plugin's webhook channel (bench/chaos.js). Each backend
 * process is configured with its own path (`/<label>`), so the receiver knows which process
 * sent a delivery. It records every delivery (`x-aiops-delivery`, the change it announces) and
 * answers 204 after `delayMs`, which holds each delivery in flight for a while: a process killed
 * meanwhile has sent the message but never learns that it arrived.
 */

const http = require('node:http');

/** @param {{ delayMs?: number }} options */
async function startWebhookReceiver({ delayMs = 250 } = {}) {
  /** Every delivery, in order of arrival. */
  const received = [];
  /** Deliveries being answered, by sender label. */
  const inFlight = new Map();

  const server = http.createServer((req, res) => {
    const label = (req.url ?? '/').slice(1);
    const chunks = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      let body = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        // Recorded with what the headers say.
      }
      const delivery = {
        sender: label,
        deliveryId: String(req.headers['x-aiops-delivery'] ?? ''),
        type: body.type,
        incidentId: body.incident?.incidentId,
        change: body.incident?.change,
        changeAt: body.incident?.changeAt,
        receivedAt: Date.now(),
        /** When the answer was written (the sender may still die before reading it). */
        answeredAt: undefined,
      };
      received.push(delivery);
      const pending = inFlight.get(label) ?? new Set();
      inFlight.set(label, pending);
      pending.add(delivery);
      setTimeout(() => {
        pending.delete(delivery);
        res.statusCode = 204;
        res.end();
        delivery.answeredAt = Date.now();
      }, delayMs);
    });
  });
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();

  return {
    received,
    url: label => `http://127.0.0.1:${port}/${label}`,
    /** Deliveries from `label` received and not yet answered. */
    inFlight: label => [...(inFlight.get(label) ?? [])],
    /** Resolves true as soon as `label` has a delivery in flight, false after `timeoutMs`. */
    async waitForInFlight(label, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if ((inFlight.get(label)?.size ?? 0) > 0) return true;
        await new Promise(r => setTimeout(r, 5));
      }
      return false;
    },
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

module.exports = { startWebhookReceiver };
