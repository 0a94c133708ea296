export { readQuery } from './readQuery';
export { loadOpenApiSpec } from './openApiSpec';
