import {
  cartIncident,
  change,
  demoIndex,
} from './__testUtils__/routingFixtures';
import { NOTIFICATION_NARRATIVE_LIMIT } from '@aiops/plugin-aiops-node';
import { incidentMessage } from './message';

describe('incidentMessage', () => {
  it('links into the app under a base URL configured with trailing slashes', () => {
    const message = incidentMessage(
      cartIncident(),
      change('opened'),
      demoIndex(),
      `http://backstage.example${'/'.repeat(100_000)}`,
    );
    expect(message.links).toMatchObject({
      incident: 'http://backstage.example/aiops/incidents/inc-1',
      service: 'http://backstage.example/catalog/default/component/cart',
    });
  });

  it('carries the template narrative: the root cause, the owner and why', () => {
    const incident = cartIncident();
    const message = incidentMessage(
      incident,
      change('opened'),
      demoIndex(),
      'http://backstage.example',
      {
        alerts: incident.alertIds.map(alertId => ({
          alertId,
          role: 'member',
          attachedAt: incident.openedAt,
        })),
        findings: incident.findings.map((finding, i) => ({
          key: `k${i}`,
          finding,
          updatedAt: incident.updatedAt,
        })),
      },
    );
    expect(message.narrative).toEqual({
      generatedBy: 'template',
      summary:
        'Critical incident: 2 alerts since 2026-11-25 10:00 UTC. ' +
        'Redis (cart) is the most likely cause; cart is affected; owned by Checkout and Platform.',
      probableCause:
        'Redis (cart) is the most likely cause (score 0.9): upstream-most affected entity; earliest onset.',
      impact:
        '2 entities are affected in Online Boutique: cart and Redis (cart). ' +
        'Checkout owns cart; Platform owns Redis (cart). ' +
        'checkout and frontend depend on them without alerting.',
    });
  });

  it('writes the narrative from the incident alone when the store record is not given', () => {
    const message = incidentMessage(
      cartIncident(),
      change('escalated'),
      demoIndex(),
      'http://backstage.example',
    );
    expect(message.narrative?.summary).toContain(
      'Redis (cart) is the most likely cause',
    );
  });

  it('leaves the narrative out, and still composes the message, when writing it fails', () => {
    const index = demoIndex();
    const catalog = {
      size: index.size,
      get: (ref: string) => {
        if (ref === 'resource:default/redis-cart') throw new Error('corrupt');
        return index.get(ref);
      },
    };
    const message = incidentMessage(
      cartIncident(),
      change('opened'),
      catalog,
      'http://backstage.example',
    );
    expect(message.headline).toContain('redis-cart down');
    expect(message).not.toHaveProperty('narrative');
  });

  it('bounds each text of the narrative', () => {
    const message = incidentMessage(
      cartIncident({
        affectedEntityRefs: Array.from(
          { length: 200 },
          (_, i) => `component:default/${'x'.repeat(400)}-${i}`,
        ),
      }),
      change('opened'),
      demoIndex(),
      'http://backstage.example',
    );
    const { summary, impact, probableCause } = message.narrative!;
    for (const text of [summary, impact!, probableCause!])
      expect(text.length).toBeLessThanOrEqual(NOTIFICATION_NARRATIVE_LIMIT);
  });
});
