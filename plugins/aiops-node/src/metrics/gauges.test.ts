import { cachedReading } from './gauges';

describe('cachedReading', () => {
  function counting(results: Array<() => Promise<number>>) {
    let calls = 0;
    const read = () => results[Math.min(calls++, results.length - 1)]();
    return { read, calls: () => calls };
  }

  it('reads at most once per maxAgeMs, and again once that has passed', async () => {
    let now = 0;
    const source = counting([async () => 7, async () => 9]);
    const reading = cachedReading(source.read, {
      maxAgeMs: 30_000,
      now: () => now,
    });

    expect(await reading()).toBe(7);
    now = 29_999;
    expect(await reading()).toBe(7);
    expect(source.calls()).toBe(1);
    now = 30_000;
    expect(await reading()).toBe(9);
    expect(source.calls()).toBe(2);
  });

  it('lets callers that arrive during a read share it', async () => {
    let finish!: (value: number) => void;
    const source = counting([
      () =>
        new Promise<number>(resolve => {
          finish = resolve;
        }),
    ]);
    const reading = cachedReading(source.read, { maxAgeMs: 1 });

    const burst = [reading(), reading(), reading()];
    finish(3);

    expect(await Promise.all(burst)).toEqual([3, 3, 3]);
    expect(source.calls()).toBe(1);
  });

  it('reports nothing after a failed read and waits maxAgeMs before trying again', async () => {
    let now = 0;
    const errors: unknown[] = [];
    const source = counting([
      async () => 5,
      async () => {
        throw new Error('database gone');
      },
      async () => 6,
    ]);
    const reading = cachedReading(source.read, {
      maxAgeMs: 10,
      now: () => now,
      onError: error => errors.push(error),
    });

    expect(await reading()).toBe(5);
    now = 10;
    expect(await reading()).toBeUndefined();
    expect(errors).toEqual([new Error('database gone')]);
    now = 19;
    expect(await reading()).toBeUndefined();
    expect(source.calls()).toBe(2);
    now = 20;
    expect(await reading()).toBe(6);
  });
});
