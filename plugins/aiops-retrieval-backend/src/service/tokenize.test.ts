import { MAX_TOKENS, tokenize } from './tokenize';

describe('tokenize', () => {
  it('lower-cases, splits on punctuation and drops stop words and single letters', () => {
    expect(tokenize('The cart is DOWN: p99 latency > 2s, a')).toEqual([
      'cart',
      'down',
      'p99',
      '99',
      'latency',
      '2s',
    ]);
  });

  it('keeps the whole camel-case word and its parts', () => {
    expect(tokenize('RedisDown')).toEqual(['redisdown', 'redis', 'down']);
    expect(tokenize('KubePodCrashLooping')).toEqual([
      'kubepodcrashlooping',
      'kube',
      'pod',
      'crash',
      'looping',
    ]);
  });

  it('splits entity refs into their words', () => {
    expect(tokenize('component:default/redis-cart')).toEqual(['redis', 'cart']);
  });

  it('keeps letters of other scripts and yields nothing query syntax could read', () => {
    const tokens = tokenize('Zahlungsfehler "OR" NEAR(x) * -- ü');
    expect(tokens).toEqual(['zahlungsfehler', 'near']);
    for (const token of tokens) expect(token).toMatch(/^[\p{L}\p{N}]+$/u);
  });

  it('stops at the token limit', () => {
    expect(tokenize('word '.repeat(MAX_TOKENS * 2))).toHaveLength(MAX_TOKENS);
  });
});
