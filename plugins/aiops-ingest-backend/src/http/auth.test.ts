import type { Request } from 'express';
import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthenticationError } from '@backstage/errors';
import {
  REMEMBER_OPAQUE_TOKEN_MS,
  SenderAuthentication,
  type ReceiverCredentials,
} from './auth';

const TOKEN_ONLY: ReceiverCredentials = { scheme: 'aiops' };
const permissions = mockServices.permissions();

/** Backstage's httpAuth as far as senders meet it: a set of tokens it accepts, and a count. */
function backstageAuth() {
  const valid = new Set<string>();
  let asked = 0;
  const httpAuth = {
    async credentials(req: Request) {
      asked += 1;
      const token = /^Bearer (\S+)$/.exec(
        req.header('authorization') ?? '',
      )?.[1];
      if (!token || !valid.has(token))
        throw new AuthenticationError('Illegal token');
      return mockCredentials.service('external:sender');
    },
  } as unknown as HttpAuthService;
  return { httpAuth, valid, asked: () => asked };
}

function request(authorization?: string): Request {
  const headers: Record<string, string | undefined> = { authorization };
  return {
    header: (name: string) => headers[name.toLowerCase()],
  } as unknown as Request;
}

const STATIC_TOKEN = 'alertmanager-static-token-0123456789';
const JWT =
  'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJwbHVnaW46Y2F0YWxvZyJ9.c2lnbmF0dXJl';

describe('SenderAuthentication', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clock = 1_000_000;
  });

  it('takes an accepted static token again without asking Backstage, for a while', async () => {
    const backstage = backstageAuth();
    backstage.valid.add(STATIC_TOKEN);
    const senders = new SenderAuthentication(
      backstage.httpAuth,
      permissions,
      now,
    );

    await senders.beforeBody(request(`Bearer ${STATIC_TOKEN}`), TOKEN_ONLY);
    await senders.beforeBody(request(`Bearer ${STATIC_TOKEN}`), TOKEN_ONLY);
    expect(backstage.asked()).toBe(1);

    // Once the time is up Backstage decides again, and a token it no longer takes is refused.
    backstage.valid.delete(STATIC_TOKEN);
    clock += REMEMBER_OPAQUE_TOKEN_MS;
    await expect(
      senders.beforeBody(request(`Bearer ${STATIC_TOKEN}`), TOKEN_ONLY),
    ).rejects.toThrow(AuthenticationError);
    expect(backstage.asked()).toBe(2);
  });

  it('always verifies JWTs, which carry their own expiry', async () => {
    const backstage = backstageAuth();
    backstage.valid.add(JWT);
    const senders = new SenderAuthentication(
      backstage.httpAuth,
      permissions,
      now,
    );

    await senders.beforeBody(request(`Bearer ${JWT}`), TOKEN_ONLY);
    await senders.beforeBody(request(`Bearer ${JWT}`), TOKEN_ONLY);
    expect(backstage.asked()).toBe(2);
  });

  it('does not remember refused tokens', async () => {
    const backstage = backstageAuth();
    const senders = new SenderAuthentication(
      backstage.httpAuth,
      permissions,
      now,
    );

    for (let i = 0; i < 2; i++) {
      await expect(
        senders.beforeBody(request('Bearer not-a-token'), TOKEN_ONLY),
      ).rejects.toThrow(AuthenticationError);
    }
    expect(backstage.asked()).toBe(2);
    await expect(senders.beforeBody(request(), TOKEN_ONLY)).rejects.toThrow(
      /missing credentials/,
    );
  });

  it('remembers a bounded number of tokens, forgetting the oldest first', async () => {
    const backstage = backstageAuth();
    const senders = new SenderAuthentication(
      backstage.httpAuth,
      permissions,
      now,
    );
    const tokens = Array.from({ length: 1001 }, (_, i) => `static-token-${i}`);
    tokens.forEach(token => backstage.valid.add(token));
    for (const token of tokens)
      await senders.beforeBody(request(`Bearer ${token}`), TOKEN_ONLY);
    expect(backstage.asked()).toBe(1001);

    await senders.beforeBody(request(`Bearer ${tokens[1000]}`), TOKEN_ONLY);
    expect(backstage.asked()).toBe(1001);
    await senders.beforeBody(request(`Bearer ${tokens[0]}`), TOKEN_ONLY);
    expect(backstage.asked()).toBe(1002);
  });
});
