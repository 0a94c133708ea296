import type { Entity } from '@backstage/catalog-model';
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import type { EntityHealth } from '@aiops/plugin-aiops-common';
import {
  CORRELATION,
  DEPLOY_RISK,
  REGRESSION,
  assessment,
  deployment,
  regression,
  backstageError,
  cartEntity,
  holdResponses,
  incident,
  minutesAgo,
  renderAiops,
  setupAiopsTestApp,
} from '../../__testUtils__/aiopsTestApp';
import { EntityHealthCard } from './EntityHealthCard';

// Rendering a whole app per test is slow on a busy, shared CI machine.
const server = setupAiopsTestApp({ testTimeoutMs: 15_000 });

const HEALTH_URL = `${CORRELATION}/entities/:ref/health`;

// The regression detector and deploy risk are not installed unless a test says otherwise.
beforeEach(() => {
  server.use(
    http.get(
      `${REGRESSION}/regressions`,
      () => new HttpResponse(null, { status: 404 }),
    ),
    http.get(
      `${DEPLOY_RISK}/assessments`,
      () => new HttpResponse(null, { status: 404 }),
    ),
  );
});

function health(overrides: Partial<EntityHealth> = {}): EntityHealth {
  return {
    entityRef: 'component:default/cart',
    status: 'healthy',
    openIncidents: [],
    firingAlerts: [],
    suppressedAlerts: [],
    window: { incidents: 0 },
    ...overrides,
  };
}

function answerWith(body: EntityHealth) {
  const seen: string[] = [];
  server.use(
    http.get(HEALTH_URL, ({ request }) => {
      seen.push(request.url);
      return HttpResponse.json(body);
    }),
  );
  return seen;
}

function renderCard(entity: Entity = cartEntity) {
  return renderAiops(<EntityHealthCard />, { entity });
}

describe('EntityHealthCard', () => {
  it("asks for the entity's health and shows an outage with its incidents and numbers", async () => {
    const seen = answerWith(
      health({
        status: 'outage',
        openIncidents: [
          incident({
            id: 'inc-warn',
            title: 'cart: SlowCheckout',
            severity: 'warning',
          }),
          incident({
            id: 'inc-crit',
            title: 'cart: CartDown',
            severity: 'critical',
          }),
          incident({
            id: 'inc-err',
            title: 'cart: HighErrorRate',
            severity: 'error',
          }),
          incident({
            id: 'inc-info',
            title: 'cart: CacheMisses',
            severity: 'info',
          }),
        ],
        firingAlerts: [
          { id: 'a1' },
          { id: 'a2' },
        ] as EntityHealth['firingAlerts'],
        suppressedAlerts: [
          {
            alertId: 'a3',
            title: 'RedisLatency',
            suppression: {
              reason: 'symptom-of-root',
              by: { alertId: 'a1' },
              rule: 'inhibition@1',
            },
          },
        ],
        window: { incidents: 4, mttaMs: 5 * 60_000, mttrMs: 65 * 60_000 },
        lastDeployment: {
          id: 'd1',
          source: 'generic',
          externalId: 'x',
          resolution: { status: 'unowned', reason: 'test' },
          environment: 'production',
          version: 'v1.4.2',
          status: 'succeeded',
          startedAt: minutesAgo(20),
          finishedAt: minutesAgo(15),
        },
      }),
    );

    await renderCard();

    expect(await screen.findByText('Outage')).toBeInTheDocument();
    expect(seen).toEqual([
      `${CORRELATION}/entities/component%3Adefault%2Fcart/health`,
    ]);
    expect(screen.getByText('AIOps health')).toBeInTheDocument();
    expect(screen.getByTestId('status-error')).toBeInTheDocument();

    // Four open; the three most urgent are named and link to their incident pages.
    expect(screen.getByText('4')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'cart: CartDown' }),
    ).toHaveAttribute('href', '/aiops/incidents/inc-crit');
    expect(
      screen.getByRole('link', { name: 'cart: HighErrorRate' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'cart: SlowCheckout' }),
    ).toBeInTheDocument();
    expect(screen.queryByText('cart: CacheMisses')).not.toBeInTheDocument();
    expect(screen.getByText('and 1 more')).toBeInTheDocument();
    expect(screen.getByText('critical')).toBeInTheDocument();

    expect(screen.getByText('2 (1 suppressed)')).toBeInTheDocument();
    expect(screen.getByText('5 min')).toBeInTheDocument();
    expect(screen.getByText('1 h 5 min')).toBeInTheDocument();
    expect(screen.getByText('v1.4.2')).toBeInTheDocument();
    expect(
      screen.getByText(/succeeded to production, 15 min ago/),
    ).toBeInTheDocument();

    expect(
      screen.getByRole('link', { name: /view incidents/i }),
    ).toHaveAttribute('href', '/catalog/default/component/cart/incidents');
  });

  it('shows a degraded service, and a dash for response times nobody measured', async () => {
    answerWith(
      health({
        status: 'degraded',
        firingAlerts: [{ id: 'a1' }] as EntityHealth['firingAlerts'],
      }),
    );

    await renderCard();

    expect(await screen.findByText('Degraded')).toBeInTheDocument();
    expect(screen.getByTestId('status-warning')).toBeInTheDocument();
    const mtta = screen.getByText('MTTA (30 days)').parentElement!;
    const mttr = screen.getByText('MTTR (30 days)').parentElement!;
    expect(within(mtta).getByText('—')).toBeInTheDocument();
    expect(within(mttr).getByText('—')).toBeInTheDocument();
    expect(screen.getByText('None recorded')).toBeInTheDocument();
    expect(screen.getByText('None')).toBeInTheDocument();
  });

  it('says healthy when past incidents are all resolved', async () => {
    answerWith(
      health({ window: { incidents: 2, mttaMs: 30_000, mttrMs: 600_000 } }),
    );

    await renderCard();

    expect(await screen.findByText('Healthy')).toBeInTheDocument();
    expect(screen.getByTestId('status-ok')).toBeInTheDocument();
    expect(screen.getByText('30 s')).toBeInTheDocument();
    expect(screen.getByText('10 min')).toBeInTheDocument();
  });

  it('explains how to connect a service that sent nothing yet', async () => {
    answerWith(health());

    await renderCard();

    expect(
      await screen.findByText(/No signals for this service yet/),
    ).toBeInTheDocument();
    expect(screen.getByText('service: cart')).toBeInTheDocument();
    expect(
      screen.getByText('aiops/service-name: <runtime name>'),
    ).toBeInTheDocument();
    expect(screen.getByText(/docs\/ingest/)).toBeInTheDocument();
    expect(screen.queryByText('Healthy')).not.toBeInTheDocument();
  });

  it('names the service from its aiops/service-name annotation in the hint', async () => {
    answerWith(health());

    await renderCard({
      ...cartEntity,
      metadata: {
        ...cartEntity.metadata,
        annotations: { 'aiops/service-name': 'cartservice' },
      },
    });

    expect(await screen.findByText('service: cartservice')).toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    const held = holdResponses();
    server.use(
      http.get(HEALTH_URL, held.answer(health({ status: 'degraded' }))),
    );

    await renderCard();

    expect(screen.getByTestId('progress')).toBeInTheDocument();
    held.release();
    expect(await screen.findByText('Degraded')).toBeInTheDocument();
    expect(screen.queryByTestId('progress')).not.toBeInTheDocument();
  });

  it("shows the backend's message when the health cannot be loaded", async () => {
    server.use(
      http.get(HEALTH_URL, () =>
        backstageError(
          403,
          'NotAllowedError',
          'You may not read incidents of component:default/cart',
        ),
      ),
    );

    await renderCard();

    expect(
      await screen.findByText(
        /Could not load AIOps health: You may not read incidents of component:default\/cart/,
      ),
    ).toBeInTheDocument();
  });

  it('renders incident titles as text, never as markup', async () => {
    answerWith(
      health({
        status: 'degraded',
        openIncidents: [incident({ title: '<img src=x onerror=alert(1)>' })],
      }),
    );

    const { container } = await renderCard();

    expect(
      await screen.findByRole('link', { name: '<img src=x onerror=alert(1)>' }),
    ).toBeInTheDocument();
    expect(container.querySelector('img')).toBeNull();
  });

  it('says degraded while a regression is active, though correlation says healthy', async () => {
    answerWith(health({ window: { incidents: 1 } }));
    const seen: URL[] = [];
    server.use(
      http.get(`${REGRESSION}/regressions`, ({ request }) => {
        seen.push(new URL(request.url));
        return HttpResponse.json({ items: [regression()] });
      }),
    );

    await renderCard();

    expect(await screen.findByText('Degraded')).toBeInTheDocument();
    expect(screen.getByText('1 active')).toBeInTheDocument();
    expect(seen[0].searchParams.get('status')).toBe('active');
    expect(seen[0].searchParams.get('entityRef')).toBe(
      'component:default/cart',
    );
  });

  it('keeps an outage an outage when a regression is active too', async () => {
    answerWith(health({ status: 'outage', openIncidents: [incident()] }));
    server.use(
      http.get(`${REGRESSION}/regressions`, () =>
        HttpResponse.json({ items: [regression()] }),
      ),
    );

    await renderCard();

    expect(await screen.findByText('1 active')).toBeInTheDocument();
    expect(screen.getByText('Outage')).toBeInTheDocument();
  });

  it("shows correlation's status when the detector fails", async () => {
    answerWith(health({ window: { incidents: 1 } }));
    server.use(
      http.get(`${REGRESSION}/regressions`, () =>
        backstageError(503, 'ServiceUnavailableError', 'down'),
      ),
    );

    await renderCard();

    expect(await screen.findByText('Healthy')).toBeInTheDocument();
    expect(screen.queryByText(/down/)).not.toBeInTheDocument();
  });

  it("gives the last deploy's risk and outcome in a line when deploy risk assessed it", async () => {
    answerWith(
      health({ window: { incidents: 1 }, lastDeployment: deployment() }),
    );
    server.use(
      http.get(`${DEPLOY_RISK}/assessments`, () =>
        HttpResponse.json({
          items: [
            assessment({ id: 'as-other', deploymentId: 'd-0', level: 'low' }),
            assessment({ outcome: 'failed' }),
          ],
        }),
      ),
    );

    await renderCard();

    expect(
      await screen.findByText('Risk high, 42%, failed'),
    ).toBeInTheDocument();
  });
});
