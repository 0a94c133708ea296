import { InputError } from '@backstage/errors';
import {
  validateAssessmentRequest,
  validateEntityRef,
  validateLevel,
} from './validateRequest';

const valid = {
  entityRef: 'Component:Default/cart',
  version: ' 1.4.0 ',
  environment: 'production',
};

describe('validateAssessmentRequest', () => {
  it('normalises a valid request', () => {
    expect(
      validateAssessmentRequest({
        ...valid,
        plannedAt: '2026-12-04T16:00:00+01:00',
        diffStats: { filesChanged: 1, linesAdded: 2, linesDeleted: 0 },
        author: 'ada',
      }),
    ).toEqual({
      entityRef: 'component:default/cart',
      version: '1.4.0',
      environment: 'production',
      plannedAt: '2026-12-04T15:00:00.000Z',
      diffStats: { filesChanged: 1, linesAdded: 2, linesDeleted: 0, paths: [] },
      author: 'ada',
    });
  });

  it.each([
    [null, /request body must be an object/],
    [
      { ...valid, entityRef: undefined },
      /^entityRef must be a non-empty string/,
    ],
    [
      { ...valid, entityRef: 'component:default/' },
      /^entityRef must be an entity reference/,
    ],
    [{ ...valid, version: '' }, /^version must be a non-empty string/],
    [
      { ...valid, version: 'v1\u0000' },
      /^version must not contain control characters/,
    ],
    [{ ...valid, version: 'x'.repeat(300) }, /^version must be at most 255/],
    [{ ...valid, environment: 3 }, /^environment must be a non-empty string/],
    [{ ...valid, changeSummary: 5 }, /^changeSummary must be a string/],
    [
      { ...valid, plannedAt: 'tomorrow' },
      /^plannedAt must be an ISO 8601 timestamp/,
    ],
    [
      { ...valid, plannedAt: '2026-13-45T00:00:00Z' },
      /^plannedAt must be an ISO 8601/,
    ],
    [{ ...valid, diffStats: [] }, /^diffStats must be an object/],
    [
      {
        ...valid,
        diffStats: { filesChanged: -1, linesAdded: 0, linesDeleted: 0 },
      },
      /^diffStats.filesChanged must be an integer/,
    ],
    [
      {
        ...valid,
        diffStats: { filesChanged: 1, linesAdded: 0.5, linesDeleted: 0 },
      },
      /^diffStats.linesAdded must be an integer/,
    ],
    [
      {
        ...valid,
        diffStats: {
          filesChanged: 1,
          linesAdded: 0,
          linesDeleted: 0,
          paths: ['a', 7],
        },
      },
      /^diffStats.paths\[1\] must be a string/,
    ],
  ])('rejects %j naming the field', (body, message) => {
    expect(() => validateAssessmentRequest(body)).toThrow(message);
    expect(() => validateAssessmentRequest(body)).toThrow(InputError);
  });
});

describe('validateEntityRef', () => {
  it('fills in the default kind and namespace', () => {
    expect(validateEntityRef('cart')).toBe('component:default/cart');
    expect(validateEntityRef('api:payments/charge')).toBe(
      'api:payments/charge',
    );
  });
});

describe('validateLevel', () => {
  it('accepts the four levels and names the field otherwise', () => {
    expect(validateLevel('high', 'failOn')).toBe('high');
    expect(() => validateLevel('severe', 'failOn')).toThrow(
      'failOn must be one of low, medium, high, blocked',
    );
  });
});
