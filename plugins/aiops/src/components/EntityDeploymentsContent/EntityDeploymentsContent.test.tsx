import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  CORRELATION,
  DEPLOY_RISK,
  INGEST,
  assessment,
  backstageError,
  cartEntity,
  cellTexts,
  deployment,
  incident,
  minutesAgo,
  renderAiops,
  setupAiopsTestApp,
} from '../../__testUtils__/aiopsTestApp';
import { EntityDeploymentsContent } from './EntityDeploymentsContent';

const server = setupAiopsTestApp({ testTimeoutMs: 15_000 });

/** Two deploys of cart, the first assessed and failed, and an incident between them. */
function serveAll() {
  const seen: URL[] = [];
  const record = (request: Request) => seen.push(new URL(request.url));
  server.use(
    http.get(`${INGEST}/deployments`, ({ request }) => {
      record(request);
      return HttpResponse.json({
        items: [
          deployment({
            id: 'd-2',
            version: 'v2.0.1',
            source: 'github',
            startedAt: minutesAgo(30),
          }),
          deployment({ startedAt: minutesAgo(120) }),
        ],
      });
    }),
    http.get(`${DEPLOY_RISK}/assessments`, ({ request }) => {
      record(request);
      return HttpResponse.json({
        items: [
          assessment({
            outcome: 'failed',
            outcomeReason: '1 incident opened on component:default/cart',
          }),
        ],
      });
    }),
    http.get(`${CORRELATION}/incidents`, ({ request }) => {
      record(request);
      return HttpResponse.json({
        items: [
          incident({
            title: 'cart: HighLatency',
            severity: 'critical',
            openedAt: minutesAgo(90),
          }),
        ],
      });
    }),
  );
  return seen;
}

const renderTab = () =>
  renderAiops(<EntityDeploymentsContent />, { entity: cartEntity });

describe('EntityDeploymentsContent', () => {
  it('shows deploys with their risk and outcome on one timeline with incidents', async () => {
    const seen = serveAll();

    await renderTab();

    expect(await screen.findByText('high, 42%')).toBeInTheDocument();
    expect(
      await screen.findByRole('link', { name: 'cart: HighLatency' }),
    ).toHaveAttribute('href', '/aiops/incidents/inc-1');
    const rows = screen.getAllByRole('row').slice(1).map(cellTexts);
    expect(rows).toEqual([
      [
        '30 min ago',
        'Deploy v2.0.1 to production (github), succeeded',
        '—',
        '—',
      ],
      ['1 h 30 min ago', 'critical cart: HighLatency', '', 'open'],
      [
        '2 h ago',
        'Deploy v2.0.0 to production (generic), succeeded',
        'high, 42%Change size, Blast radius, Timing',
        'failed',
      ],
    ]);
    expect(screen.getByTitle(/1 incident opened/)).toHaveTextContent('failed');
    for (const url of seen) {
      expect(url.searchParams.get('entityRef')).toBe('component:default/cart');
    }
    expect(seen.map(u => u.pathname).sort()).toEqual([
      '/api/aiops-correlation/incidents',
      '/api/aiops-deploy-risk/assessments',
      '/api/aiops-ingest/deployments',
    ]);
  });

  it('shows the deploys and one quiet line when deploy risk is not installed', async () => {
    serveAll();
    server.use(
      http.get(
        `${DEPLOY_RISK}/assessments`,
        () => new HttpResponse(null, { status: 404 }),
      ),
    );

    await renderTab();

    expect(
      await screen.findByText(
        'Deploy risk (aiops-deploy-risk) is not installed.',
      ),
    ).toBeInTheDocument();
    expect(await screen.findByText('v2.0.0')).toBeInTheDocument();
    expect(screen.queryByText('high, 42%')).not.toBeInTheDocument();
  });

  it("shows the deploys when incidents cannot be read, with correlation's message", async () => {
    serveAll();
    server.use(
      http.get(`${CORRELATION}/incidents`, () =>
        backstageError(403, 'NotAllowedError', 'You may not read incidents'),
      ),
    );

    await renderTab();

    expect(
      await screen.findByText(
        'Incidents are not shown: You may not read incidents',
      ),
    ).toBeInTheDocument();
    expect(await screen.findByText('v2.0.1')).toBeInTheDocument();
  });

  it('says when no deploy was recorded', async () => {
    serveAll();
    server.use(
      http.get(`${INGEST}/deployments`, () => HttpResponse.json({ items: [] })),
    );

    await renderTab();

    expect(
      await screen.findByText(/No deployments recorded for this service/),
    ).toBeInTheDocument();
  });

  it("shows ingest's error when deployments cannot be loaded", async () => {
    serveAll();
    server.use(
      http.get(`${INGEST}/deployments`, () =>
        backstageError(503, 'ServiceUnavailableError', 'ingest is down'),
      ),
    );

    await renderTab();

    expect(
      await screen.findByText(/Could not load deployments: ingest is down/),
    ).toBeInTheDocument();
  });
});
