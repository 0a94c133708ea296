import { recordedResolution } from './recordedResolution';

describe('recordedResolution', () => {
  it('reads the note and postmortem link correlation recorded', () => {
    expect(
      recordedResolution({
        id: 'inc-1',
        resolution: {
          note: 'Rolled back cart 2.790.23',
          postmortemUrl: 'https://wiki.example.com/pm/7',
          resolvedBy: 'user:default/guest',
          resolvedAt: '2026-11-20T08:00:00Z',
        },
      }),
    ).toEqual({
      note: 'Rolled back cart 2.790.23',
      postmortemUrl: 'https://wiki.example.com/pm/7',
    });
  });

  it('is absent for incidents without one, or with nothing a person wrote', () => {
    expect(recordedResolution({ id: 'inc-1' })).toBeUndefined();
    expect(
      recordedResolution({ resolution: { resolvedBy: 'system', note: ' ' } }),
    ).toBeUndefined();
    expect(recordedResolution({ resolution: 'fixed' })).toBeUndefined();
    expect(recordedResolution({ resolution: { note: 42 } })).toBeUndefined();
  });
});
