import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import type { EntityHealth } from '@aiops/plugin-aiops-common';
import {
  CORRELATION,
  DEPLOY_RISK,
  REGRESSION,
  cartEntity,
  incident,
  renderAiops,
  setupAiopsTestApp,
} from './__testUtils__/aiopsTestApp';
import aiopsFrontendPlugin from './alpha';
import { aiopsPlugin, EntityAiopsHealthCard } from './plugin';
import { aiopsApiRef } from './api/AiopsApi';

const server = setupAiopsTestApp({ testTimeoutMs: 15_000 });

describe('the legacy plugin', () => {
  it('provides the AIOps client factory', () => {
    expect([...aiopsPlugin.getApis()].map(factory => factory.api.id)).toEqual([
      aiopsApiRef.id,
    ]);
  });

  it('renders its entity card extension, loaded lazily', async () => {
    const health: Partial<EntityHealth> = {
      entityRef: 'component:default/cart',
      status: 'outage',
      openIncidents: [
        incident({ severity: 'critical', title: 'Cart is down' }),
      ],
      firingAlerts: [],
      suppressedAlerts: [],
      window: { incidents: 1 },
    };
    server.use(
      http.get(`${CORRELATION}/entities/:ref/health`, () =>
        HttpResponse.json(health),
      ),
      http.get(`${REGRESSION}/regressions`, () =>
        HttpResponse.json({ items: [] }),
      ),
      http.get(`${DEPLOY_RISK}/assessments`, () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    await renderAiops(<EntityAiopsHealthCard />, { entity: cartEntity });
    expect(await screen.findByText('Cart is down')).toBeInTheDocument();
    expect(screen.getByText('Outage')).toBeInTheDocument();
  });
});

describe('the new-frontend-system plugin', () => {
  it('offers the client, the page, the service cards and tabs, and the team card', () => {
    for (const id of [
      'api:aiops',
      'page:aiops',
      'entity-card:aiops/health',
      'entity-card:aiops/regressions',
      'entity-content:aiops/incidents',
      'entity-content:aiops/deployments',
      'entity-card:aiops/group-incidents',
    ] as const) {
      expect(aiopsFrontendPlugin.getExtension(id)).toBeDefined();
    }
  });
});
