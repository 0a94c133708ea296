import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import type { AiopsRegressionApi } from '@aiops/plugin-aiops-common';
import {
  REGRESSION,
  backstageError,
  cartEntity,
  entitySeries,
  regression,
  renderAiops,
  setupAiopsTestApp,
} from '../../__testUtils__/aiopsTestApp';
import { EntityRegressionsCard } from './EntityRegressionsCard';
import { formatChange, formatPValue, seriesWindow } from './regressionText';

const server = setupAiopsTestApp({ testTimeoutMs: 15_000 });

/** Serves `items` as the entity's regressions and each one's series; returns what was asked. */
function serve(items: AiopsRegressionApi.Regression[]) {
  const seen: URL[] = [];
  server.use(
    http.get(`${REGRESSION}/regressions`, ({ request }) => {
      seen.push(new URL(request.url));
      return HttpResponse.json({ items });
    }),
    http.get(`${REGRESSION}/entities/:ref/series`, ({ request }) => {
      const url = new URL(request.url);
      seen.push(url);
      const reg = items.find(r => r.metric === url.searchParams.get('metric'))!;
      return HttpResponse.json(entitySeries(reg));
    }),
  );
  return seen;
}

const renderCard = () =>
  renderAiops(<EntityRegressionsCard />, { entity: cartEntity });

describe('EntityRegressionsCard', () => {
  it("lists the entity's active and acknowledged regressions with a chart of each", async () => {
    const seen = serve([
      regression(),
      regression({
        id: 'reg-2',
        metric: 'error_rate',
        direction: 'decrease',
        relativeChange: -0.085,
        pValue: 0.0123,
        status: 'acknowledged',
        statusBy: 'user:default/alice',
        method: 'e-divisive-t@1',
        deploymentId: undefined,
      }),
    ]);

    await renderCard();

    const latency = await screen.findByRole('group', {
      name: 'latency_p99 regression',
    });
    expect(within(latency).getByText('rose +80%')).toBeInTheDocument();
    expect(within(latency).getByText('active')).toBeInTheDocument();
    expect(await within(latency).findByText('v2.0.0')).toBeInTheDocument(); // the linked deploy, named by the series
    expect(latency).toHaveTextContent(
      'p < 0.0001 · changed 2 h ago · welch-mann-whitney-holm@1 · deploy v2.0.0',
    );
    const chart = within(latency).getByRole('img');
    expect(chart).toHaveAccessibleName(/latency_p99 \+80% around/);
    expect(within(chart).getAllByTestId('marker-change')).toHaveLength(1);
    expect(within(chart).getAllByTestId('marker-deploy')).toHaveLength(1);
    expect(
      within(chart).getByLabelText(/^Deploy v2\.0\.0 at/),
    ).toBeInTheDocument();

    const errors = screen.getByRole('group', { name: 'error_rate regression' });
    expect(within(errors).getByText('fell −8.5%')).toBeInTheDocument();
    expect(errors).toHaveTextContent('acknowledged by user:default/alice');
    expect(errors).toHaveTextContent('p = 0.012');
    // Acknowledged already: only dismissing is left.
    expect(
      within(errors).queryByRole('button', { name: 'Acknowledge' }),
    ).not.toBeInTheDocument();
    expect(
      within(errors).getByRole('button', { name: 'Dismiss' }),
    ).toBeInTheDocument();

    const list = seen.find(u => u.pathname.endsWith('/regressions'))!;
    expect(list.searchParams.get('entityRef')).toBe('component:default/cart');
    expect(list.searchParams.get('status')).toBe('active,acknowledged');
    const series = seen.find(u => u.pathname.endsWith('/series'))!;
    expect(series.pathname).toBe(
      '/api/aiops-regression/entities/component%3Adefault%2Fcart/series',
    );
    expect(series.searchParams.get('from')).toBeTruthy();
    expect(series.searchParams.get('to')).toBeTruthy();
  });

  it('acknowledges a regression and reloads the list', async () => {
    let status: AiopsRegressionApi.Regression['status'] = 'active';
    const posted: string[] = [];
    server.use(
      http.get(`${REGRESSION}/regressions`, () =>
        HttpResponse.json({ items: [regression({ status })] }),
      ),
      http.get(`${REGRESSION}/entities/:ref/series`, () =>
        HttpResponse.json(entitySeries()),
      ),
      http.post(`${REGRESSION}/regressions/:id/acknowledge`, ({ params }) => {
        posted.push(String(params.id));
        status = 'acknowledged';
        return HttpResponse.json(regression({ status }));
      }),
    );

    await renderCard();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Acknowledge' }),
    );

    expect(await screen.findByText('acknowledged')).toBeInTheDocument();
    expect(posted).toEqual(['reg-1']);
    expect(
      screen.queryByRole('button', { name: 'Acknowledge' }),
    ).not.toBeInTheDocument();
  });

  it("shows the backend's message when dismissing is not allowed", async () => {
    serve([regression()]);
    server.use(
      http.post(`${REGRESSION}/regressions/:id/dismiss`, () =>
        backstageError(
          403,
          'NotAllowedError',
          'You may not update regressions of component:default/cart',
        ),
      ),
    );

    await renderCard();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Dismiss' }),
    );

    expect(
      await screen.findByText(
        'Could not dismiss: You may not update regressions of component:default/cart',
      ),
    ).toBeInTheDocument();
    // The regression stays listed.
    expect(screen.getByText('rose +80%')).toBeInTheDocument();
  });

  it('says when nothing regressed', async () => {
    serve([]);
    await renderCard();
    expect(
      await screen.findByText('No regressions detected.'),
    ).toBeInTheDocument();
  });

  it('says quietly that the detector is not installed when its routes do not exist', async () => {
    server.use(
      http.get(
        `${REGRESSION}/regressions`,
        () => new HttpResponse(null, { status: 404 }),
      ),
    );
    await renderCard();
    expect(
      await screen.findByText(
        'Regression detection (aiops-regression) is not installed.',
      ),
    ).toBeInTheDocument();
  });

  it("gives the detector's own error in a line", async () => {
    server.use(
      http.get(`${REGRESSION}/regressions`, () =>
        backstageError(503, 'ServiceUnavailableError', 'database is down'),
      ),
    );
    await renderCard();
    expect(
      await screen.findByText('Could not load regressions: database is down'),
    ).toBeInTheDocument();
  });

  it('says so under the regression when its series cannot be read', async () => {
    server.use(
      http.get(`${REGRESSION}/regressions`, () =>
        HttpResponse.json({ items: [regression()] }),
      ),
      http.get(`${REGRESSION}/entities/:ref/series`, () =>
        backstageError(502, 'MetricsProviderError', 'prometheus timed out'),
      ),
    );
    await renderCard();
    expect(
      await screen.findByText(
        /Could not load the latency_p99 series: prometheus timed out/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('rose +80%')).toBeInTheDocument();
    // Without the series the linked deploy is named by its id.
    expect(screen.getByText('d-1')).toBeInTheDocument();
  });
});

describe('regression text', () => {
  it('formats changes, including from a level of 0', () => {
    expect(formatChange(regression({ relativeChange: 0.8 }))).toBe('+80%');
    expect(formatChange(regression({ relativeChange: -0.085 }))).toBe('−8.5%');
    expect(
      formatChange(
        regression({
          relativeChange: null,
          before: { mean: 0, n: 10 },
          after: { mean: 0.25, n: 10 },
        }),
      ),
    ).toBe('0 → 0.25');
  });

  it('bounds tiny p-values', () => {
    expect(formatPValue(0.00001)).toBe('p < 0.0001');
    expect(formatPValue(0.0123)).toBe('p = 0.012');
  });

  it('ends the window at now for a recent change', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(seriesWindow('2026-01-01T10:00:00Z', 12, now)).toEqual({
      from: '2025-12-31T22:00:00.000Z',
      to: '2026-01-01T12:00:00.000Z',
    });
    expect(seriesWindow('2025-12-01T10:00:00Z', 12, now).to).toBe(
      '2025-12-01T22:00:00.000Z',
    );
  });
});
