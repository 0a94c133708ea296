import { readSearchRequest } from './searchRequest';

describe('readSearchRequest', () => {
  it('reads the query, the filters and k', () => {
    expect(
      readSearchRequest({
        query: 'redis down',
        entityRef: 'component:default/cart',
        from: '2026-11-01T00:00:00+01:00',
        k: 3,
      }),
    ).toEqual({
      query: 'redis down',
      filters: {
        entityRef: 'component:default/cart',
        from: '2026-10-31T23:00:00.000Z',
      },
      k: 3,
    });
    expect(readSearchRequest({ query: 'x' }).k).toBe(10);
  });

  it('refuses NUL characters and times no database stores, naming the field', () => {
    expect(() =>
      readSearchRequest({ query: 'x', owner: 'group:a\u0000' }),
    ).toThrow(/owner holds a NUL character/);
    expect(() =>
      readSearchRequest({ query: 'x', to: '+275760-09-13T00:00:00Z' }),
    ).toThrow(/^to must be an RFC 3339 timestamp/);
  });
});
