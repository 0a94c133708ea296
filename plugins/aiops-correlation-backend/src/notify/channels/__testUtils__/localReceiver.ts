import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordedRequest } from './fixtures';

type Answer = (response: ServerResponse, request: IncomingMessage) => void;

/**
 * A real HTTP server on 127.0.0.1 for one test file, for receivers we do not know (generic
 * webhooks): requests go through sockets, address checks and all. `answer` sets how it
 * replies to the next requests (204 by default); every request is kept, read in full first.
 */
export function localReceiver() {
  const requests: RecordedRequest[] = [];
  let answer: Answer = response => response.writeHead(204).end();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', chunk => chunks.push(chunk));
    request.on('end', () => {
      requests.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers as Record<string, string>,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      answer(response, request);
    });
  });
  const receiver = {
    requests,
    /** `http://127.0.0.1:<port><path>` */
    url: (path = '/hook') =>
      `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    answer: (next: Answer) => {
      answer = next;
    },
  };
  beforeAll(
    () => new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve)),
  );
  afterEach(() => {
    requests.length = 0;
    answer = response => response.writeHead(204).end();
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>(resolve => server.close(() => resolve()));
  });
  return receiver;
}
