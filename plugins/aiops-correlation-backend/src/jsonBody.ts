import express, { type RequestHandler } from 'express';
import { CustomErrorBase, InputError } from '@backstage/errors';
import { jsonValueProblem } from '@aiops/plugin-aiops-node';

/** The largest JSON body the API reads: notes and silences are small. express' default. */
export const MAX_BODY_BYTES = 100 * 1024;

/** 413: the body is larger than `MAX_BODY_BYTES`. */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  statusCode = 413;
}

const parseJson = express.json({ limit: MAX_BODY_BYTES });

/**
 * express' JSON parser, with its errors as the API's: too large is 413 naming the limit, any
 * other (malformed JSON, a charset it cannot read) 400. It runs before the OpenAPI router, whose
 * own error handler would turn a 413 into a 400.
 */
export const jsonBody: RequestHandler = (req, res, next) =>
  parseJson(req, res, (error?: unknown) => {
    if (!error) {
      next();
    } else if ((error as { type?: unknown }).type === 'entity.too.large') {
      next(
        new PayloadTooLargeError(
          `body is larger than the limit of ${MAX_BODY_BYTES} bytes`,
        ),
      );
    } else {
      next(new InputError((error as Error).message));
    }
  });

/**
 * After the JSON parser: bodies nested deeper than MAX_JSON_DEPTH or holding lone UTF-16
 * surrogates answer 400, as ingest's body reader does, so the validator and handlers only see
 * bounded, well-formed values.
 */
export const rejectUnsafeJson: RequestHandler = (req, _res, next) => {
  const problem =
    req.body === undefined ? undefined : jsonValueProblem(req.body);
  next(problem ? new InputError(problem) : undefined);
};
