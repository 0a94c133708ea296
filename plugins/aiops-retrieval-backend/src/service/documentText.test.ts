import { cartIncidentDetails } from '@aiops/plugin-aiops-node/testUtils';
import { buildIncidentDocument } from './incidentDocument';
import { documentText } from './documentText';

describe('documentText', () => {
  it('holds the title, alert names, entity names, findings, narrative and resolution', () => {
    const text = documentText(
      buildIncidentDocument(cartIncidentDetails(), {
        narrative: 'Redis (cart) is failing',
        resolution: { note: 'Restarted redis-cart with more memory' },
      }),
    );
    expect(text.split('\n')[0]).toBe(
      'redis-cart: RedisDown (+5 related alerts)',
    );
    for (const part of [
      'CartServiceLatency',
      'checkout',
      'online-boutique',
      'deployed',
      'Redis (cart) is failing',
      'Restarted redis-cart with more memory',
    ])
      expect(text).toContain(part);
    expect(text).not.toContain('component:default');
  });
});
