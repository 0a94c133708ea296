export { readQuery } from './readQuery';
export { MAX_ECHOED_LENGTH, echoed, withEchoesCut } from './echo';
export { loadOpenApiSpec } from './openApiSpec';
export { NestingTooDeepError } from './nestingTooDeep';
export {
  MAX_JSON_DEPTH,
  jsonTextNestsDeeperThan,
  jsonValueProblem,
  tooDeepMessage,
} from './jsonLimits';
export { rejectNulInPath } from './pathGuard';
