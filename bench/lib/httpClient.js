'use strict';

/**
 * A minimal HTTP/1.1 keep-alive client for the load generator: one request at a time per
 * connection, the request written with one syscall, the answer parsed just enough (status,
 * Content-Length or chunked body, Connection: close).
 *
 * Why not node:http: the senders share this 2-vCPU machine with the backend they measure, and
 * Node's client cost the load generator about 0.37 ms of CPU per single-alert request, half of
 * what the backend spends on it. Real senders run elsewhere; the less the load generator takes,
 * the less the measurement measures the load generator.
 */

const net = require('node:net');

const HEADER_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

class Connection {
  constructor(host, port) {
    this.socket = net.connect({ host, port });
    this.socket.setNoDelay(true);
    this.buffer = Buffer.alloc(0);
    this.pending = undefined;
    this.closed = false;
    this.socket.on('data', chunk => this.onData(chunk));
    this.socket.on('error', error => this.fail(error));
    this.socket.on('close', () => {
      this.closed = true;
      this.fail(new Error('connection closed before the answer was complete'));
    });
  }

  /** Resolves with `{ status, body }`; rejects on a socket error. */
  send(bytes) {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(bytes);
    });
  }

  fail(error) {
    const pending = this.pending;
    this.pending = undefined;
    this.closed = true;
    this.socket.destroy();
    pending?.reject(error);
  }

  onData(chunk) {
    this.buffer =
      this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const response = parseResponse(this.buffer);
    if (!response) return;
    this.buffer = this.buffer.subarray(response.length);
    const pending = this.pending;
    this.pending = undefined;
    if (response.close) {
      this.closed = true;
      this.socket.end();
    }
    pending?.resolve({ status: response.status, body: response.body });
  }
}

/** A complete response at the start of `buffer`, or undefined if more bytes are needed. */
function parseResponse(buffer) {
  const headerEnd = buffer.indexOf(HEADER_END);
  if (headerEnd < 0) return undefined;
  const head = buffer.toString('latin1', 0, headerEnd);
  const status = Number(head.slice(9, 12));
  const close = /\r\nconnection:[ \t]*close/i.test(head);
  const bodyStart = headerEnd + HEADER_END.length;
  const length = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head);
  if (length) {
    const end = bodyStart + Number(length[1]);
    if (buffer.length < end) return undefined;
    return {
      status,
      close,
      body: buffer.subarray(bodyStart, end),
      length: end,
    };
  }
  if (/\r\ntransfer-encoding:[ \t]*chunked/i.test(head)) {
    const parts = [];
    let at = bodyStart;
    for (;;) {
      const lineEnd = buffer.indexOf(CRLF, at);
      if (lineEnd < 0) return undefined;
      const size = parseInt(buffer.toString('latin1', at, lineEnd), 16);
      const dataStart = lineEnd + CRLF.length;
      if (size === 0) {
        // No trailers are expected: the last chunk is followed by an empty line.
        if (buffer.length < dataStart + CRLF.length) return undefined;
        return {
          status,
          close,
          body: Buffer.concat(parts),
          length: dataStart + CRLF.length,
        };
      }
      if (buffer.length < dataStart + size + CRLF.length) return undefined;
      parts.push(buffer.subarray(dataStart, dataStart + size));
      at = dataStart + size + CRLF.length;
    }
  }
  // No length and not chunked: only answers without a body are expected here.
  return { status, close, body: Buffer.alloc(0), length: bodyStart };
}

/**
 * Keep-alive connections to one server, at most `maxConnections`; `post` waits for a free one.
 * Resolves with `{ status, body }` (status 0 and `error` if the connection failed); never rejects.
 */
function createClient({ host, port, maxConnections }) {
  const idle = [];
  const waiting = [];
  let open = 0;

  function acquire() {
    while (idle.length > 0) {
      const connection = idle.pop();
      if (!connection.closed) return Promise.resolve(connection);
      open -= 1;
    }
    if (open < maxConnections) {
      open += 1;
      return Promise.resolve(new Connection(host, port));
    }
    return new Promise(resolve => waiting.push(resolve));
  }

  function release(connection) {
    if (connection.closed) {
      open -= 1;
      if (waiting.length > 0) {
        open += 1;
        waiting.shift()(new Connection(host, port));
      }
      return;
    }
    if (waiting.length > 0) waiting.shift()(connection);
    else idle.push(connection);
  }

  async function post(path, headers, body) {
    const head =
      `POST ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\n` +
      `Content-Length: ${body.length}\r\n` +
      Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('') +
      '\r\n';
    const connection = await acquire();
    try {
      return await connection.send(
        Buffer.concat([Buffer.from(head, 'latin1'), body]),
      );
    } catch (error) {
      return { status: 0, error: `${error.code ?? ''} ${error.message}` };
    } finally {
      release(connection);
    }
  }

  function destroy() {
    for (const connection of idle) connection.socket.destroy();
    idle.length = 0;
  }

  return { post, destroy };
}

module.exports = { createClient, parseResponse };
