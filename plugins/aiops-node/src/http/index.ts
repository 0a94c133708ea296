export { readQuery } from './readQuery';
export { loadOpenApiSpec } from './openApiSpec';
export {
  MAX_JSON_DEPTH,
  jsonTextNestsDeeperThan,
  jsonValueProblem,
  tooDeepMessage,
} from './jsonLimits';
