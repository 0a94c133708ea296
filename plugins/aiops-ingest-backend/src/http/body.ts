import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import type { Request } from 'express';
import { CustomErrorBase, InputError } from '@backstage/errors';
import {
  NestingTooDeepError,
  echoed,
  jsonTextNestsDeeperThan,
  jsonValueProblem,
} from '@aiops/plugin-aiops-node';

/** 413: the body (after decompression) is larger than `aiops.ingest.maxBodyBytes`. */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  statusCode = 413;
}

/** 415: not a JSON body. */
export class UnsupportedMediaTypeError extends CustomErrorBase {
  name = 'UnsupportedMediaTypeError' as const;
  statusCode = 415;
}

const JSON_TYPES = /^application\/([a-z0-9.+-]+\+)?json$/;

const INFLATE: Record<
  string,
  (raw: Buffer, options: { maxOutputLength: number }) => Promise<Buffer>
> = {
  gzip: promisify(gunzip),
  deflate: promisify(inflate),
};

const tooLarge = (maxBodyBytes: number) =>
  new PayloadTooLargeError(
    `body is larger than the limit of ${maxBodyBytes} bytes (aiops.ingest.maxBodyBytes)`,
  );

/**
 * The body's bytes as sent: still compressed, at most `maxBodyBytes`, nothing parsed. This is
 * what signatures cover, so a signed request costs no inflating or parsing until its signature
 * verifies. A longer body is refused (413) as soon as its `Content-Length` or its bytes exceed
 * the limit; Node drains and discards the rest.
 */
export function readRawBody(
  req: Request,
  maxBodyBytes: number,
): Promise<Buffer> {
  if (Number(req.header('content-length')) > maxBodyBytes) {
    return Promise.reject(tooLarge(maxBodyBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Once settled, further chunks are discarded: after an early answer Node drains the rest.
    let settled = false;
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > maxBodyBytes) {
        settled = true;
        reject(tooLarge(maxBodyBytes));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, size));
    });
    // Stays attached: a sender that aborts after the answer must not leave an unhandled error.
    req.on('error', error => {
      if (settled) return;
      settled = true;
      reject(new InputError(`could not read the body: ${error.message}`));
    });
  });
}

/**
 * Turns the bytes read by `readRawBody` into JSON, with errors a sender can act on: undoes
 * gzip or deflate (the limit applies to the inflated size too), refuses what is not JSON, and
 * refuses bodies nested deeper than MAX_JSON_DEPTH or holding lone UTF-16 surrogates (400), so
 * receivers only ever see bounded, well-formed values. Runs only once the sender is
 * authenticated.
 */
export async function parseJsonBody(
  req: Request,
  raw: Buffer,
  maxBodyBytes: number,
): Promise<unknown> {
  const contentType = (req.header('content-type') ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (
    contentType === 'application/x-protobuf' ||
    contentType === 'application/protobuf'
  ) {
    throw new UnsupportedMediaTypeError(
      'binary protobuf is not supported; send OTLP/HTTP JSON (in the OpenTelemetry Collector: encoding: json)',
    );
  }
  if (!JSON_TYPES.test(contentType)) {
    throw new UnsupportedMediaTypeError(
      `Content-Type must be application/json, got ${
        echoed(contentType) || 'none'
      }`,
    );
  }
  const buffer = await inflated(
    raw,
    req.header('content-encoding'),
    maxBodyBytes,
  );
  if (buffer.length === 0)
    throw new InputError('body is empty; a JSON document is required');
  // Refused before parsing: a deep body costs nothing to reject, and nothing after this
  // (the OpenAPI validator, receivers, JSON.stringify) has to bound its own recursion.
  if (jsonTextNestsDeeperThan(buffer)) throw new NestingTooDeepError('body');
  let body: unknown;
  try {
    body = JSON.parse(buffer.toString('utf8'));
  } catch (error) {
    throw new InputError(
      `body is not valid JSON: ${echoed((error as Error).message)}`,
    );
  }
  const problem = jsonValueProblem(body);
  if (problem) throw new InputError(problem);
  return body;
}

async function inflated(
  raw: Buffer,
  contentEncoding: string | undefined,
  maxBodyBytes: number,
): Promise<Buffer> {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return raw;
  // Own keys only: `constructor` or `__proto__` would find Object.prototype's members.
  const inflater = Object.hasOwn(INFLATE, encoding)
    ? INFLATE[encoding]
    : undefined;
  if (!inflater) {
    throw new UnsupportedMediaTypeError(
      `Content-Encoding ${echoed(
        encoding,
      )} is not supported; use gzip, deflate or none`,
    );
  }
  try {
    return await inflater(raw, { maxOutputLength: maxBodyBytes });
  } catch (error) {
    // Inflating stops at the limit, so a small bomb costs at most maxBodyBytes of work.
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw tooLarge(maxBodyBytes);
    throw new InputError(
      `could not read the body: ${(error as Error).message}`,
    );
  }
}
