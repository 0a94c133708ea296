import express from 'express';
import { CustomErrorBase, InputError } from '@backstage/errors';
import type { RequestHandler } from 'express';
import {
  jsonTextNestsDeeperThan,
  jsonValueProblem,
  tooDeepMessage,
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

declare module 'express-serve-static-core' {
  interface Request {
    /** The exact bytes received (decompressed), for signature checks. */
    rawBody?: Buffer;
  }
}

const JSON_TYPES = /^application\/([a-z0-9.+-]+\+)?json$/;

/**
 * Reads every body as raw bytes first (gzip and deflate are inflated, and the size limit
 * applies to the inflated size), keeps them for signature checks, then parses JSON with errors
 * a sender can act on. Bodies nested deeper than MAX_JSON_DEPTH or holding lone UTF-16
 * surrogates answer 400 here, so receivers only ever see bounded, well-formed values. Express' own JSON parser would lose the raw bytes and answer 500s for
 * some malformed inputs.
 */
export function jsonBodyParser(options: {
  maxBodyBytes: number;
}): RequestHandler[] {
  const raw = express.raw({
    type: () => true,
    limit: options.maxBodyBytes,
    inflate: true,
  });
  return [
    (req, res, next) =>
      raw(req, res, (error?: any) => {
        if (!error) return next();
        if (error.type === 'entity.too.large') {
          return next(
            new PayloadTooLargeError(
              `body is larger than the limit of ${options.maxBodyBytes} bytes (aiops.ingest.maxBodyBytes)`,
            ),
          );
        }
        if (error.type === 'encoding.unsupported') {
          return next(
            new UnsupportedMediaTypeError(
              `Content-Encoding ${error.encoding} is not supported; use gzip, deflate or none`,
            ),
          );
        }
        return next(
          new InputError(`could not read the body: ${error.message}`),
        );
      }),
    (req, _res, next) => {
      if (req.method === 'GET' || req.method === 'HEAD') return next();
      const buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      req.rawBody = buffer;
      const contentType = (req.header('content-type') ?? '')
        .split(';')[0]
        .trim()
        .toLowerCase();
      if (
        contentType === 'application/x-protobuf' ||
        contentType === 'application/protobuf'
      ) {
        return next(
          new UnsupportedMediaTypeError(
            'binary protobuf is not supported; send OTLP/HTTP JSON (in the OpenTelemetry Collector: encoding: json)',
          ),
        );
      }
      if (!JSON_TYPES.test(contentType)) {
        return next(
          new UnsupportedMediaTypeError(
            `Content-Type must be application/json, got ${
              contentType || 'none'
            }`,
          ),
        );
      }
      if (buffer.length === 0)
        return next(
          new InputError('body is empty; a JSON document is required'),
        );
      // Refused before parsing: a deep body costs nothing to reject, and nothing after this
      // (the OpenAPI validator, receivers, JSON.stringify) has to bound its own recursion.
      if (jsonTextNestsDeeperThan(buffer))
        return next(new InputError(tooDeepMessage('body')));
      try {
        req.body = JSON.parse(buffer.toString('utf8'));
      } catch (error) {
        return next(
          new InputError(`body is not valid JSON: ${(error as Error).message}`),
        );
      }
      const problem = jsonValueProblem(req.body);
      return next(problem ? new InputError(problem) : undefined);
    },
  ];
}
