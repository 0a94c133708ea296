import { InputError } from '@backstage/errors';
import { parseGenericDeployments } from './generic';
import { BatchTooLargeError } from '../validation';
import { inputErrorMessage, fixtureJson } from './__testUtils__/fixtures';

const limits = { maxItems: 10 };

describe('parseGenericDeployments', () => {
  it('maps a single deployment with every field', () => {
    expect(
      parseGenericDeployments(fixtureJson('generic/single.json'), limits),
    ).toEqual([
      {
        source: 'generic',
        externalId: 'deploy-cart-2026-11-24-1402',
        labels: { service: 'cartservice' },
        environment: 'production',
        version: '1.8.0',
        previousVersion: '1.7.3',
        status: 'succeeded',
        startedAt: '2026-11-24T14:02:11.000Z',
        finishedAt: '2026-11-24T14:05:40.000Z',
        url: 'https://ci.example.com/pipelines/cart/4812',
        commit: '9d2f1c7be0a4e5d36f18b2c4a7e9013d5b6c8f21',
        actor: 'alice',
      },
    ]);
  });

  it('maps a batch, with entity refs, extra labels and defaults', () => {
    const [payments, checkout] = parseGenericDeployments(
      fixtureJson('generic/batch.json'),
      limits,
    );
    expect(payments).toMatchObject({
      externalId: 'jenkins/payments-api/311',
      labels: {
        'backstage.io/entity-ref': 'component:payments/payments-api',
        region: 'eu-west-1',
      },
      environment: 'staging',
      status: 'started',
      // offsets are normalised to UTC
      startedAt: '2026-11-24T14:00:00.000Z',
      finishedAt: undefined,
    });
    expect(checkout).toMatchObject({
      labels: { service: 'checkoutservice' },
      environment: 'production',
      status: 'rolled_back',
      // a sender that only knows when it finished
      startedAt: '2026-11-24T14:31:05.000Z',
      finishedAt: '2026-11-24T14:31:05.000Z',
      actor: 'bob',
    });
  });

  it('defaults the status to succeeded', () => {
    const [deployment] = parseGenericDeployments(
      {
        id: 'd1',
        service: 'cart',
        version: '1',
        startedAt: '2026-11-24T14:00:00Z',
      },
      limits,
    );
    expect(deployment.status).toBe('succeeded');
  });

  it('lets service and entityRef override the same keys in labels', () => {
    const [deployment] = parseGenericDeployments(
      {
        id: 'd1',
        service: 'cart',
        entityRef: 'component:default/cart',
        labels: {
          service: 'stale',
          'backstage.io/entity-ref': 'component:default/stale',
          team: 'checkout',
        },
        version: '1',
        startedAt: '2026-11-24T14:00:00Z',
      },
      limits,
    );
    expect(deployment.labels).toEqual({
      service: 'cart',
      'backstage.io/entity-ref': 'component:default/cart',
      team: 'checkout',
    });
  });

  describe('batch limit', () => {
    const batch = (size: number) => ({
      deployments: Array.from({ length: size }, (_, index) => ({
        id: `d${index}`,
        service: 'cart',
        version: '1',
        startedAt: '2026-11-24T14:00:00Z',
      })),
    });

    it('accepts exactly maxItems', () => {
      expect(parseGenericDeployments(batch(3), { maxItems: 3 })).toHaveLength(
        3,
      );
    });

    it('rejects more than maxItems with a 413 input error naming the limit', () => {
      let error: unknown;
      try {
        parseGenericDeployments(batch(4), { maxItems: 3 });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(BatchTooLargeError);
      expect(InputError.is(error)).toBe(true);
      expect(error).toMatchObject({
        statusCode: 413,
        received: 4,
        limit: 3,
        message: expect.stringContaining('limit of 3'),
      });
    });
  });

  const valid = {
    id: 'd1',
    service: 'cart',
    version: '1.0.0',
    startedAt: '2026-11-24T14:00:00Z',
  };

  it.each([
    [{ ...valid, id: undefined }, 'id is required'],
    [{ ...valid, version: undefined }, 'version is required'],
    [{ ...valid, version: 3 }, 'version must be a non-empty string'],
    [{ ...valid, service: undefined }, 'service or entityRef is required'],
    [{ ...valid, status: 'done' }, 'status must be one of'],
    [{ ...valid, startedAt: undefined }, 'startedAt is required'],
    [{ ...valid, startedAt: '24/11/2026' }, 'startedAt must be an RFC 3339'],
    [
      { ...valid, finishedAt: '2026-11-24T13:00:00Z' },
      'finishedAt (2026-11-24T13:00:00.000Z) is before startedAt',
    ],
    [{ ...valid, labels: { team: 7 } }, 'labels.team must be a string'],
    [[valid], 'body must be an object'],
  ])('rejects %j: %s', (body, message) => {
    expect(
      inputErrorMessage(() => parseGenericDeployments(body, limits)),
    ).toContain(message);
  });

  it('names the item of a batch in its errors', () => {
    const body = {
      deployments: [valid, valid, { ...valid, version: undefined }],
    };
    expect(
      inputErrorMessage(() => parseGenericDeployments(body, limits)),
    ).toContain('deployments[2].version is required');
  });

  it.each([
    [{ deployments: [] }, 'deployments holds no deployments'],
    [{ deployments: valid }, 'deployments must be an array'],
    [{ deployments: [valid, 'cart'] }, 'deployments[1] must be an object'],
  ])('rejects the batch %j', (body, message) => {
    expect(
      inputErrorMessage(() => parseGenericDeployments(body, limits)),
    ).toContain(message);
  });
});
