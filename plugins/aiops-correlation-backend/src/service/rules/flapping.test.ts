import { isFlapping, recordTransition } from './flapping';

describe('flap detection', () => {
  const cfg = { windowMs: 100, minTransitions: 3 };
  it('forgets transitions older than the window', () => {
    expect(recordTransition([0, 50], 120, 100)).toEqual([50, 120]);
  });
  it('flags an alert changing status often within the window', () => {
    expect(isFlapping([10, 40, 70], 80, cfg)).toBe(true);
    expect(isFlapping([10, 40], 80, cfg)).toBe(false);
    expect(isFlapping([10, 40, 70], 150, cfg)).toBe(false);
  });
});
