import { screen, within } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import { http, HttpResponse, type HttpHandler } from 'msw';
import type { Incident, IncidentStats } from '@aiops/plugin-aiops-common';
import {
  CORRELATION,
  DAY_MS,
  HOUR_MS,
  ago,
  backstageError,
  cellTexts,
  holdResponses,
  incident,
  renderAiops,
  setupAiopsTestApp,
} from '../../__testUtils__/aiopsTestApp';
import { GroupIncidentsCard } from './GroupIncidentsCard';

// material-table renders slowly in jsdom, more so on a busy shared CI machine: give the
// queries and the tests room beyond the 1 s and 5 s defaults.
const server = setupAiopsTestApp({ testTimeoutMs: 30_000 });

const GROUP = 'group:default/checkout-team';

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'checkout-team', namespace: 'default' },
  spec: {
    type: 'team',
    profile: { displayName: 'Checkout Team' },
    children: [],
  },
};

const stats: IncidentStats = {
  from: ago(30 * DAY_MS),
  to: ago(0),
  totals: { open: 9, acknowledged: 4, incidents: 40 },
  byOwner: [
    {
      ref: 'group:default/payments-team',
      open: 7,
      acknowledged: 3,
      incidents: 30,
      mttaMs: 60_000,
    },
    {
      ref: GROUP,
      open: 2,
      acknowledged: 1,
      incidents: 10,
      mttaMs: 5 * 60_000,
      mttrMs: 2 * 60 * 60_000,
    },
  ],
  bySystem: [],
};

const openIncidents = [
  incident({ id: 'inc-1', title: 'Checkout latency', openedAt: ago(HOUR_MS) }),
  incident({
    id: 'inc-2',
    title: 'Payment timeouts',
    status: 'acknowledged',
    primaryEntityRef: 'component:default/payment-gateway',
    openedAt: ago(HOUR_MS),
  }),
];

const recentIncidents = [
  ...openIncidents,
  incident({
    id: 'inc-3',
    status: 'resolved',
    primaryEntityRef: 'component:default/payment-gateway',
    openedAt: ago(3 * DAY_MS),
  }),
  incident({
    id: 'inc-4',
    status: 'resolved',
    primaryEntityRef: 'component:default/payment-gateway',
    openedAt: ago(10 * DAY_MS),
  }),
  incident({
    id: 'inc-5',
    status: 'resolved',
    primaryEntityRef: 'component:default/cart',
    openedAt: ago(20 * DAY_MS),
  }),
  incident({
    id: 'inc-6',
    status: 'resolved',
    primaryEntityRef: undefined,
    openedAt: ago(25 * DAY_MS),
  }),
];

/** Answers open incidents when asked by status, the last 30 days when asked with `from`. */
function incidentsHandler(
  answer: { open: Incident[]; recent: Incident[] },
  seen: URLSearchParams[] = [],
) {
  return http.get(`${CORRELATION}/incidents`, ({ request }) => {
    const params = new URL(request.url).searchParams;
    seen.push(params);
    return HttpResponse.json({
      items: params.get('status') ? answer.open : answer.recent,
    });
  });
}

async function renderCard(...handlers: HttpHandler[]) {
  server.use(
    http.get(`${CORRELATION}/stats`, () => HttpResponse.json(stats)),
    incidentsHandler({ open: openIncidents, recent: recentIncidents }),
  );
  server.use(...handlers);
  return renderAiops(<GroupIncidentsCard />, { entity: group });
}

describe('GroupIncidentsCard', () => {
  it("shows the team's open incidents without an owner column", async () => {
    const seen: URLSearchParams[] = [];
    await renderCard(
      incidentsHandler({ open: openIncidents, recent: recentIncidents }, seen),
    );

    expect(
      await screen.findByRole('link', { name: 'Payment timeouts' }),
    ).toHaveAttribute('href', '/aiops/incidents/inc-2');
    expect(
      screen.getByRole('link', { name: 'Checkout latency' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('columnheader', { name: 'Owner' }),
    ).not.toBeInTheDocument();

    const openQuery = seen.find(params => params.get('status'));
    expect(openQuery?.get('owner')).toBe(GROUP);
    expect(openQuery?.get('status')).toBe('open,acknowledged');
  });

  it("shows the team's on-call load from its stats and its last week", async () => {
    await renderCard();

    expect(
      await screen.findByRole('group', { name: 'Open' }),
    ).toHaveTextContent('2');
    expect(
      screen.getByRole('group', { name: 'Acknowledged' }),
    ).toHaveTextContent('1');
    expect(
      screen.getByRole('group', { name: 'MTTA (30 days)' }),
    ).toHaveTextContent('5 min');
    expect(
      screen.getByRole('group', { name: 'MTTR (30 days)' }),
    ).toHaveTextContent('2 h');
    // inc-1, inc-2 (an hour ago) and inc-3 (3 days ago); inc-4 is 10 days old.
    expect(
      await screen.findByRole('group', { name: 'Opened in the last 7 days' }),
    ).toHaveTextContent('3');
  });

  it('ranks the services with the most incidents over the last 30 days', async () => {
    const seen: URLSearchParams[] = [];
    await renderCard(
      incidentsHandler({ open: openIncidents, recent: recentIncidents }, seen),
    );

    const table = await screen.findByRole('table', {
      name: 'Noisiest services',
    });
    const rows = within(table).getAllByRole('row').slice(1).map(cellTexts);
    expect(rows).toEqual([
      ['payment-gateway', '3'],
      ['cart', '2'],
      ['no primary entity', '1'],
    ]);

    const recentQuery = seen.find(params => params.get('from'));
    expect(recentQuery?.get('owner')).toBe(GROUP);
    expect(recentQuery?.get('limit')).toBe('500');
    const since = Date.now() - Date.parse(recentQuery!.get('from')!);
    expect(since).toBeGreaterThanOrEqual(30 * DAY_MS);
    expect(since).toBeLessThan(30 * DAY_MS + 60_000);
  });

  it('explains how services get owned when the team had no incidents', async () => {
    await renderCard(incidentsHandler({ open: [], recent: [] }));

    expect(
      await screen.findByText(
        'No incidents for Checkout Team in the last 30 days.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('spec.owner')).toBeInTheDocument();
    expect(screen.getByText(GROUP)).toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    const held = holdResponses();
    await renderCard(
      http.get(
        `${CORRELATION}/incidents`,
        held.answer({ items: openIncidents }),
      ),
    );

    expect(screen.getAllByTestId('progress').length).toBeGreaterThanOrEqual(2);
    held.release();
    expect(
      await screen.findByRole('link', { name: 'Checkout latency' }),
    ).toBeInTheDocument();
  });

  it('shows a failing load and keeps the rest', async () => {
    await renderCard(
      http.get(`${CORRELATION}/stats`, () =>
        backstageError(500, 'Error', 'stats query timed out'),
      ),
    );

    expect(
      (await screen.findAllByText('stats query timed out')).length,
    ).toBeGreaterThan(0);
    expect(
      await screen.findByRole('link', { name: 'Checkout latency' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('table', { name: 'Noisiest services' }),
    ).toBeInTheDocument();
  });
});
