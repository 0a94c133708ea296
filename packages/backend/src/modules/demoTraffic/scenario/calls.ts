import type { CallOptions } from './recorder';

/* The call options of the two protocols in the call graph: gRPC (Online Boutique) and HTTP. */

export const grpc = (service: string, method: string): CallOptions => ({
  name: `hipstershop.${service}/${method}`,
  attributes: {
    'rpc.system': 'grpc',
    'rpc.service': `hipstershop.${service}`,
    'rpc.method': method,
  },
  outcomeAttributes: error => ({ 'rpc.grpc.status_code': error ? 9 : 0 }),
  clientError: message =>
    `rpc error: code = FailedPrecondition desc = ${message}`,
});

function httpStatus(method: string, error: boolean): number {
  if (error) return 500;
  return method === 'POST' ? 201 : 200;
}

export const http = (
  method: string,
  route: string,
  path: string,
): CallOptions => ({
  name: `${method} ${route}`,
  attributes: {
    'http.request.method': method,
    'http.route': route,
    'url.path': path,
  },
  outcomeAttributes: error => ({
    'http.response.status_code': httpStatus(method, error),
  }),
  clientError: message =>
    `${method} ${path}: 500 Internal Server Error: ${message}`,
});
