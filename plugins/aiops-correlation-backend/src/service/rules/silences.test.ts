import { alert, at, c, T0, MIN } from '../__testUtils__/builders';
import { matchingSilence } from './silences';
import type { CoreSilence as Silence } from '../types';

describe('matchingSilence', () => {
  const window = [{ startsAt: at(0), endsAt: at(30) }];
  const silences: Silence[] = [
    {
      id: 'b-maint',
      matchers: [
        {
          name: 'entity',
          op: '=~',
          value: 'component:default/(cart|checkout)',
        },
      ],
      windows: window,
    },
    {
      id: 'a-env',
      matchers: [
        { name: 'env', value: 'staging' },
        { name: 'severity', op: '!=', value: 'x' },
      ],
      windows: window,
    },
  ];

  it('matches on the entity ref with an anchored regex, inside the window only', () => {
    const a = alert('a', c('cart'));
    expect(matchingSilence(a, c('cart'), silences, T0 + 5 * MIN)?.id).toBe(
      'b-maint',
    );
    expect(
      matchingSilence(a, c('cart'), silences, T0 + 30 * MIN),
    ).toBeUndefined();
    expect(matchingSilence(a, c('cart'), silences, T0 - 1)).toBeUndefined();
    expect(
      matchingSilence(alert('x', c('cartx')), c('cartx'), silences, T0),
    ).toBeUndefined();
  });

  it('needs every matcher to match and picks silences in id order', () => {
    const a = alert('a', c('cart'), { labels: { env: 'staging' } });
    expect(matchingSilence(a, c('cart'), silences, T0)?.id).toBe('a-env');
    expect(
      matchingSilence(
        alert('b', c('ad'), { labels: { env: 'prod' } }),
        c('ad'),
        silences,
        T0,
      ),
    ).toBeUndefined();
  });

  it('never matches with an empty matcher list', () => {
    expect(
      matchingSilence(
        alert('a', c('ad')),
        c('ad'),
        [{ id: 'all', matchers: [], windows: window }],
        T0,
      ),
    ).toBeUndefined();
  });
});
