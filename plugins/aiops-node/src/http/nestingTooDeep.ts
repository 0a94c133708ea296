import { InputError } from '@backstage/errors';
import { MAX_JSON_DEPTH, tooDeepMessage } from './jsonLimits';

/**
 * 400: JSON nested deeper than the limit. Senders see an `InputError` like any other bad body;
 * the class of its own lets ingest count the refusal as `depth` rather than `schema`.
 */
export class NestingTooDeepError extends InputError {
  constructor(what: string, maxDepth = MAX_JSON_DEPTH) {
    super(tooDeepMessage(what, maxDepth));
  }
}
