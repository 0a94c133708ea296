import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse, type HttpHandler } from 'msw';
import type {
  IncidentStats,
  NotificationDelivery,
  NotificationStatus,
} from '@aiops/plugin-aiops-common';
import {
  CORRELATION,
  DAY_MS,
  INGEST,
  NARRATOR,
  WEEK_MS,
  ago,
  alert,
  backstageError,
  cellTexts,
  holdResponses,
  incident,
  minutes,
  minutesAgo,
  renderAiops,
  setupAiopsTestApp,
} from '../../__testUtils__/aiopsTestApp';
import { PlatformOverviewPage } from './PlatformOverviewPage';

// material-table renders slowly in jsdom, more so on a busy shared CI machine: give the
// queries and the tests room beyond the 1 s and 5 s defaults.
const server = setupAiopsTestApp({ testTimeoutMs: 30_000 });

function stats(overrides: Partial<IncidentStats> = {}): IncidentStats {
  return {
    from: ago(30 * DAY_MS),
    to: ago(0),
    totals: {
      open: 3,
      acknowledged: 1,
      incidents: 12,
      mttaMs: minutes(5),
      mttrMs: minutes(60),
    },
    byOwner: [
      {
        ref: 'group:default/checkout-team',
        open: 2,
        acknowledged: 1,
        incidents: 9,
        mttaMs: minutes(4),
        mttrMs: minutes(90),
      },
      { ref: null, open: 1, acknowledged: 0, incidents: 3 },
    ],
    bySystem: [
      {
        ref: 'system:default/shop',
        open: 2,
        acknowledged: 1,
        incidents: 8,
        mttaMs: minutes(3),
      },
      { ref: null, open: 1, acknowledged: 0, incidents: 4 },
    ],
    ...overrides,
  };
}

function deadLetter(): NotificationDelivery {
  return {
    id: 'd-1',
    kind: 'message',
    incidentId: 'inc-7',
    change: 'opened',
    headline: 'Payments down',
    changeAt: minutesAgo(20),
    channel: 'slack',
    target: '#payments-oncall',
    group: 'group:default/payments-team',
    status: 'dead',
    attempts: 8,
    nextAttemptAt: minutesAgo(1),
    lastError: 'channel_not_found',
    createdAt: minutesAgo(20),
  };
}

function notificationStatus(): NotificationStatus {
  return {
    counts: {
      pending: 2,
      delivered: 40,
      dead: 1,
      held: 0,
      digested: 5,
      cancelled: 0,
    },
    problems: [
      {
        key: 'no-route:group:default/payments-team',
        message:
          'No route for group:default/payments-team; used the fallback group',
        firstSeen: minutesAgo(60),
        lastSeen: minutesAgo(3),
        count: 4,
      },
    ],
  };
}

/** A working backend; tests put their own handlers in front with `server.use`. */
function defaultHandlers(): HttpHandler[] {
  return [
    http.get(`${CORRELATION}/stats`, ({ request }) => {
      const from = new URL(request.url).searchParams.get('from');
      return HttpResponse.json(
        from
          ? stats({
              from,
              to: new URL(request.url).searchParams.get('to')!,
              totals: { open: 0, acknowledged: 0, incidents: 1 },
            })
          : stats(),
      );
    }),
    http.get(`${CORRELATION}/incidents`, () =>
      HttpResponse.json({
        items: [incident({ title: 'Checkout latency', severity: 'critical' })],
      }),
    ),
    http.get(`${INGEST}/alerts`, () => HttpResponse.json({ items: [] })),
    http.get(`${CORRELATION}/notifications/status`, () =>
      HttpResponse.json(notificationStatus()),
    ),
    http.get(`${CORRELATION}/notifications`, () =>
      HttpResponse.json({ items: [] }),
    ),
    http.get(`${NARRATOR}/status`, () =>
      HttpResponse.json({
        provider: 'none',
        available: false,
        llm: {
          provider: 'none',
          available: false,
          unavailableReason: 'not-configured',
          breaker: 'none',
        },
        narrator: { enabled: true, debounceMs: 5000, cursor: '0' },
      }),
    ),
  ];
}

async function renderPage(...handlers: HttpHandler[]) {
  server.use(...defaultHandlers());
  server.use(...handlers);
  return renderAiops(<PlatformOverviewPage />);
}

function rowsOf(table: HTMLElement): string[] {
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map(row => row.textContent ?? '');
}

describe('PlatformOverviewPage', () => {
  it('shows open incidents and response times per owner and per system, with totals', async () => {
    await renderPage();

    expect(
      screen.getByRole('heading', { name: 'AIOps', level: 1 }),
    ).toBeInTheDocument();
    const byOwner = await screen.findByRole('table', {
      name: 'Incidents by owner',
    });
    const ownerRows = within(byOwner).getAllByRole('row');
    expect(
      within(ownerRows[1]).getByRole('link', { name: /checkout-team/ }),
    ).toHaveAttribute('href', '/catalog/default/group/checkout-team');
    expect(cellTexts(ownerRows[1])).toEqual([
      'checkout-team',
      '2',
      '1',
      '9',
      '4 min',
      '1 h 30 min',
    ]);
    expect(cellTexts(ownerRows[2])).toEqual([
      'no owner',
      '1',
      '0',
      '3',
      '—',
      '—',
    ]);

    const bySystem = screen.getByRole('table', { name: 'Incidents by system' });
    expect(rowsOf(bySystem)).toEqual([
      expect.stringMatching(/^shop2183 min—$/),
      expect.stringMatching(/^no system104——$/),
    ]);

    expect(screen.getByRole('group', { name: 'Open' })).toHaveTextContent('3');
    expect(screen.getByRole('group', { name: 'MTTA' })).toHaveTextContent(
      '5 min',
    );
    expect(screen.getByRole('group', { name: 'MTTR' })).toHaveTextContent(
      '1 h',
    );
  });

  it('lists open and acknowledged incidents with links to their pages', async () => {
    let status: string | null = null;
    await renderPage(
      http.get(`${CORRELATION}/incidents`, ({ request }) => {
        status = new URL(request.url).searchParams.get('status');
        return HttpResponse.json({
          items: [
            incident({ id: 'inc-1', title: 'Checkout latency' }),
            incident({
              id: 'inc-2',
              title: 'Ledger disk full',
              status: 'acknowledged',
            }),
          ],
        });
      }),
    );

    expect(
      await screen.findByRole('link', { name: 'Ledger disk full' }),
    ).toHaveAttribute('href', '/aiops/incidents/inc-2');
    expect(
      screen.getByRole('link', { name: 'Checkout latency' }),
    ).toHaveAttribute('href', '/aiops/incidents/inc-1');
    expect(status).toBe('open,acknowledged');
  });

  it('shows unowned firing signals with the reason they are unowned', async () => {
    let query: URLSearchParams | undefined;
    await renderPage(
      http.get(`${INGEST}/alerts`, ({ request }) => {
        const params = new URL(request.url).searchParams;
        if (params.get('unowned') !== 'true') {
          return HttpResponse.json({ items: [] });
        }
        query = params;
        return HttpResponse.json({
          items: [
            alert({
              id: 'u-1',
              title: 'DiskPressure',
              labels: {
                alertname: 'DiskPressure',
                service: 'ledgr',
                namespace: 'prod',
              },
              resolution: {
                status: 'unowned',
                reason: 'no entity has annotation aiops/service-name=ledgr',
              },
            }),
          ],
        });
      }),
    );

    const table = await screen.findByRole('table', { name: 'Unowned signals' });
    const cells = cellTexts(within(table).getAllByRole('row')[1]);
    expect(cells).toEqual([
      'DiskPressure',
      'warning',
      'alertname=DiskPressure, service=ledgr, namespace=prod',
      'no entity has annotation aiops/service-name=ledgr',
      '2 min ago',
    ]);
    expect(query?.get('status')).toBe('firing');
  });

  it('ranks the noisiest alerts by deliveries per alert name and entity', async () => {
    let limit: string | null = null;
    const cart = 'component:default/cart';
    const ledger = 'resource:default/ledger-db';
    const owned = (entityRef: string) =>
      ({ status: 'resolved', entityRef, matchedBy: 'label' } as const);
    await renderPage(
      http.get(`${INGEST}/alerts`, ({ request }) => {
        const params = new URL(request.url).searchParams;
        if (params.get('unowned')) return HttpResponse.json({ items: [] });
        limit = params.get('limit');
        return HttpResponse.json({
          items: [
            alert({
              id: '1',
              title: 'HighLatency',
              resolution: owned(cart),
              deliveryCount: 30,
            }),
            // Same name, same entity, another fingerprint: counted together (30 + 25).
            alert({
              id: '2',
              title: 'HighLatency',
              resolution: owned(cart),
              deliveryCount: 25,
              status: 'resolved',
            }),
            // Same name, another entity: its own group.
            alert({
              id: '3',
              title: 'HighLatency',
              resolution: owned(ledger),
              deliveryCount: 40,
            }),
            alert({
              id: '4',
              title: 'DiskPressure',
              resolution: owned(ledger),
              deliveryCount: 7,
            }),
            alert({
              id: '5',
              title: 'Heartbeat',
              resolution: { status: 'unowned', reason: 'no label' },
              deliveryCount: 100,
            }),
          ],
        });
      }),
    );

    const table = await screen.findByRole('table', { name: 'Noisiest alerts' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(row => cellTexts(row).slice(0, 5))).toEqual([
      ['Heartbeat', 'unowned', '100', '1', '1'],
      ['HighLatency', 'cart', '55', '2', '1'],
      ['HighLatency', 'ledger-db', '40', '1', '1'],
      ['DiskPressure', 'ledger-db', '7', '1', '1'],
    ]);
    expect(limit).toBe('500');
  });

  it('keeps the noisiest alerts to the top ten', async () => {
    await renderPage(
      http.get(`${INGEST}/alerts`, ({ request }) => {
        if (new URL(request.url).searchParams.get('unowned')) {
          return HttpResponse.json({ items: [] });
        }
        return HttpResponse.json({
          items: Array.from({ length: 12 }, (_, i) =>
            alert({ id: `a${i}`, title: `Alert${i}`, deliveryCount: i + 1 }),
          ),
        });
      }),
    );

    const table = await screen.findByRole('table', { name: 'Noisiest alerts' });
    const titles = within(table)
      .getAllByRole('row')
      .slice(1)
      .map(row => cellTexts(row)[0]);
    expect(titles).toHaveLength(10);
    expect(titles[0]).toBe('Alert11');
    expect(titles[9]).toBe('Alert2');
  });

  it('asks for the stats of each of the last four weeks and shows them week by week', async () => {
    const windows: Array<{ from: number; to: number }> = [];
    const mttaByWeek = [minutes(2), minutes(4), minutes(8), minutes(16)];
    await renderPage(
      http.get(`${CORRELATION}/stats`, ({ request }) => {
        const params = new URL(request.url).searchParams;
        const from = params.get('from');
        const to = params.get('to');
        if (!from || !to) return HttpResponse.json(stats());
        windows.push({ from: Date.parse(from), to: Date.parse(to) });
        // The answer depends on the window: weeks further back answer with shorter times.
        const weeksBack = Math.round((Date.now() - Date.parse(to)) / WEEK_MS);
        return HttpResponse.json(
          stats({
            from,
            to,
            totals: {
              open: 0,
              acknowledged: 0,
              incidents: 10 + weeksBack,
              mttaMs: mttaByWeek[3 - weeksBack],
              mttrMs: minutes(60),
            },
          }),
        );
      }),
    );

    const table = await screen.findByRole('table', {
      name: 'MTTA and MTTR by week',
    });
    // Four consecutive seven-day windows, the newest ending when the page loaded.
    windows.sort((a, b) => a.from - b.from);
    const end = windows[windows.length - 1].to;
    expect(windows).toEqual(
      [4, 3, 2, 1].map(weeksBack => ({
        from: end - weeksBack * WEEK_MS,
        to: end - (weeksBack - 1) * WEEK_MS,
      })),
    );
    expect(Date.now() - end).toBeGreaterThanOrEqual(0);
    expect(Date.now() - end).toBeLessThan(60_000);

    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(row => cellTexts(row).slice(1))).toEqual([
      ['13', '2 min', '1 h'],
      ['12', '4 min', '1 h'],
      ['11', '8 min', '1 h'],
      ['10', '16 min', '1 h'],
    ]);
  });

  it('shows notification delivery and sends a dead letter again', async () => {
    let deadLetters = [deadLetter()];
    const retried: string[] = [];
    await renderPage(
      http.get(`${CORRELATION}/notifications`, ({ request }) => {
        expect(new URL(request.url).searchParams.get('status')).toBe('dead');
        return HttpResponse.json({ items: deadLetters });
      }),
      http.post(`${CORRELATION}/notifications/:id/retry`, ({ params }) => {
        retried.push(String(params.id));
        deadLetters = [];
        return HttpResponse.json({ ...deadLetter(), status: 'pending' });
      }),
    );

    expect(
      await screen.findByRole('group', { name: 'delivered' }),
    ).toHaveTextContent('40');
    expect(screen.getByRole('group', { name: 'dead' })).toHaveTextContent('1');
    const problems = screen.getByRole('table', { name: 'Routing problems' });
    expect(rowsOf(problems)).toEqual([
      'No route for group:default/payments-team; used the fallback group43 min ago',
    ]);

    const deadTable = await screen.findByRole('table', {
      name: 'Dead letters',
    });
    const cells = cellTexts(within(deadTable).getAllByRole('row')[1]).slice(
      0,
      6,
    );
    expect(cells).toEqual([
      'Payments down',
      'payments-team',
      'slack',
      '#payments-oncall',
      'channel_not_found',
      '8',
    ]);
    expect(
      within(deadTable).getByRole('link', { name: 'Payments down' }),
    ).toHaveAttribute('href', '/aiops/incidents/inc-7');

    await userEvent.click(
      within(deadTable).getByRole('button', { name: 'Retry delivery d-1' }),
    );

    expect(
      await screen.findByText(/No dead letters: every message was delivered/),
    ).toBeInTheDocument();
    expect(retried).toEqual(['d-1']);
  });

  it('shows why a retry failed', async () => {
    await renderPage(
      http.get(`${CORRELATION}/notifications`, () =>
        HttpResponse.json({ items: [deadLetter()] }),
      ),
      http.post(`${CORRELATION}/notifications/:id/retry`, () =>
        backstageError(409, 'ConflictError', 'Delivery d-1 is not dead'),
      ),
    );

    await userEvent.click(
      await screen.findByRole('button', { name: 'Retry delivery d-1' }),
    );

    expect(
      await screen.findByText('Delivery d-1 is not dead'),
    ).toBeInTheDocument();
  });

  it('tells non-administrators that notification delivery is for administrators', async () => {
    const forbidden = () =>
      backstageError(403, 'NotAllowedError', 'Unauthorized');
    await renderPage(
      http.get(`${CORRELATION}/notifications/status`, forbidden),
      http.get(`${CORRELATION}/notifications`, forbidden),
    );

    expect(
      await screen.findByText(
        'Only AIOps administrators see notification delivery.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('Unauthorized')).not.toBeInTheDocument();
    expect(
      await screen.findByRole('table', { name: 'Incidents by owner' }),
    ).toBeInTheDocument();
  });

  it('shows the error of a failing section and still renders the others', async () => {
    await renderPage(
      http.get(`${CORRELATION}/stats`, ({ request }) =>
        new URL(request.url).searchParams.get('from')
          ? HttpResponse.json(stats())
          : backstageError(500, 'Error', 'stats query timed out'),
      ),
      http.get(`${INGEST}/alerts`, () =>
        backstageError(503, 'ServiceUnavailableError', 'ingest is down'),
      ),
    );

    expect(
      (await screen.findAllByText('stats query timed out')).length,
    ).toBeGreaterThan(0);
    // Both alert cards read ingest and each shows the failure.
    await waitFor(() =>
      expect(screen.getAllByText('ingest is down').length).toBeGreaterThan(1),
    );
    expect(
      await screen.findByRole('link', { name: 'Checkout latency' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('table', { name: 'MTTA and MTTR by week' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('table', { name: 'Routing problems' }),
    ).toBeInTheDocument();
  });

  it('shows progress while sections load', async () => {
    const held = holdResponses();
    await renderPage(
      http.get(`${CORRELATION}/stats`, held.answer(stats())),
      http.get(`${INGEST}/alerts`, held.answer({ items: [] })),
    );

    expect(screen.getAllByTestId('progress').length).toBeGreaterThanOrEqual(4);
    expect(
      screen.queryByRole('table', { name: 'Incidents by owner' }),
    ).not.toBeInTheDocument();
    held.release();
    expect(
      await screen.findByRole('table', { name: 'Incidents by owner' }),
    ).toBeInTheDocument();
  });

  it('says so when there is nothing to show', async () => {
    await renderPage(
      http.get(`${CORRELATION}/stats`, ({ request }) =>
        HttpResponse.json(
          stats({
            from:
              new URL(request.url).searchParams.get('from') ?? ago(30 * DAY_MS),
            totals: { open: 0, acknowledged: 0, incidents: 0 },
            byOwner: [],
            bySystem: [],
          }),
        ),
      ),
      http.get(`${CORRELATION}/incidents`, () =>
        HttpResponse.json({ items: [] }),
      ),
      http.get(`${CORRELATION}/notifications/status`, () =>
        HttpResponse.json({
          counts: { pending: 0, delivered: 0, dead: 0, held: 0, digested: 0 },
          problems: [],
        }),
      ),
    );

    expect(
      await screen.findByText(
        'No open incidents, and none opened in the last 30 days.',
      ),
    ).toBeInTheDocument();
    expect(await screen.findByText('No open incidents.')).toBeInTheDocument();
    expect(
      await screen.findByText(
        'Every firing alert is keyed to a catalog entity.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('No alerts received yet.')).toBeInTheDocument();
    expect(
      await screen.findByText('No incidents opened in the last four weeks.'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        'No routing problems seen since this instance started.',
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/No dead letters: every message was delivered/),
    ).toBeInTheDocument();
  });

  it('links to the silences page', async () => {
    await renderPage();

    expect(
      screen.getByRole('button', { name: 'Silences and maintenance windows' }),
    ).toHaveAttribute('href', '/aiops/silences');
  });
});
