import {
  cartIncident,
  change,
  demoIndex,
} from './__testUtils__/routingFixtures';
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
});
