'use strict';

/**
 * Calibration target `node-http`: a bare Node.js HTTP server in this process that reads the
 * body, parses the JSON and answers `{ accepted: n }` — no framework, no auth, no database.
 * It shows what this machine and the load generator allow any Node.js server, so the other
 * numbers can be read against it.
 */

const http = require('node:http');

async function startBaselineServer({ port }) {
  const server = http.createServer((req, res) => {
    const parts = [];
    req.on('data', part => parts.push(part));
    req.on('end', () => {
      let accepted = 0;
      try {
        const body = JSON.parse(Buffer.concat(parts).toString('utf8'));
        accepted = Array.isArray(body)
          ? body.length
          : Array.isArray(body?.alerts)
          ? body.alerts.length
          : 0;
      } catch {
        res.writeHead(400).end();
        return;
      }
      const text = JSON.stringify({ accepted });
      res
        .writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        })
        .end(text);
    });
  });
  await new Promise(resolve => server.listen(port, '127.0.0.1', resolve));
  return {
    describe: 'bare node:http server (read body, JSON.parse, answer)',
    async stop() {
      server.closeAllConnections?.();
      await new Promise(resolve => server.close(resolve));
    },
  };
}

module.exports = { startBaselineServer };
