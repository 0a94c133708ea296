import { Route, Routes } from 'react-router-dom';
import type { EvaluatePermissionRequest } from '@backstage/plugin-permission-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse, type HttpResponseResolver } from 'msw';
import type {
  Incident,
  IncidentDetails,
  NotificationDelivery,
} from '@aiops/plugin-aiops-common';
import {
  CORRELATION,
  NARRATOR,
  RETRIEVAL,
  type Decision,
  backstageError,
  holdResponses,
  incident,
  minutesAgo,
  narrative,
  renderAiops,
  setupAiopsTestApp,
} from '../../__testUtils__/aiopsTestApp';
import { IncidentPage, IncidentView } from './IncidentPage';

// A whole page with a lazily loaded graph renders slowly on a busy CI machine.
const server = setupAiopsTestApp({ testTimeoutMs: 15_000 });

// jsdom lays nothing out; DependencyGraph measures its nodes with getBBox.
beforeAll(() => {
  Object.defineProperty(window.SVGElement.prototype, 'getBBox', {
    configurable: true,
    value: () => ({ x: 0, y: 0, width: 120, height: 32 }),
  });
});

const ROOT_ALERT = 'b4908042-1111-4aaa-8bbb-000000000001';
const SYMPTOM_ALERT = '78e57232-2222-4aaa-8bbb-000000000002';

function details(overrides: Partial<Incident> = {}): IncidentDetails {
  return {
    // redis-cart is down, and cart and frontend with it.
    incident: incident({
      title: 'redis-cart: RedisDown (+1 related alerts)',
      severity: 'critical',
      primaryEntityRef: 'resource:default/redis-cart',
      affectedEntityRefs: [
        'component:default/cart',
        'component:default/frontend',
        'resource:default/redis-cart',
      ],
      owner: 'group:default/platform-team',
      system: 'system:default/online-boutique',
      correlationKey: 'group-key@1|redis-cart',
      ruleVersions: ['topology-root-cause@1'],
      alertIds: [ROOT_ALERT, SYMPTOM_ALERT],
      rootCauseCandidates: [
        {
          entityRef: 'component:default/cart',
          score: 0.31,
          reasons: ['alerting'],
          evidence: [{ kind: 'alert', id: SYMPTOM_ALERT }],
        },
        {
          entityRef: 'resource:default/redis-cart',
          score: 0.82,
          reasons: ['upstream-most: the cascade starts here', 'coverage 1.00'],
          evidence: [{ kind: 'alert', id: ROOT_ALERT }],
        },
      ],
      openedAt: minutesAgo(30),
      updatedAt: minutesAgo(5),
      ...overrides,
    }),
    alerts: [
      {
        alertId: ROOT_ALERT,
        role: 'member',
        joinedBy: { rule: 'group-key@1', reason: 'same entity' },
        attachedAt: minutesAgo(30),
        details: {
          name: 'RedisDown',
          title: 'Redis is not answering',
          entityRef: 'resource:default/redis-cart',
          severity: 'critical',
          status: 'firing',
          startsAt: minutesAgo(31),
          lastSeenAt: minutesAgo(1),
        },
      },
      {
        alertId: SYMPTOM_ALERT,
        role: 'suppressed',
        joinedBy: {
          rule: 'topology-grouping@1',
          reason: 'depends-on resource:default/redis-cart (1 hop)',
        },
        suppression: {
          reason: 'symptom-of-root',
          by: { alertId: ROOT_ALERT },
          rule: 'inhibition@1',
        },
        attachedAt: minutesAgo(29),
        details: {
          name: 'CartErrors',
          title: 'CartErrors',
          entityRef: 'component:default/cart',
          severity: 'error',
          status: 'resolved',
          startsAt: minutesAgo(29),
          endsAt: minutesAgo(4),
          lastSeenAt: minutesAgo(4),
        },
      },
    ],
    alertDetails: 'available',
    findings: [
      {
        key: 'deploy:dep-1234',
        finding: {
          rule: 'deploy-linked@1',
          summary: 'cart v1.4.2 was deployed 3 min before the first alert',
          evidence: [
            { kind: 'deployment', id: 'dep-1234' },
            { kind: 'regression', id: 'reg-99' },
          ],
          confidence: 0.7,
        },
        updatedAt: minutesAgo(20),
      },
      {
        key: 'root-cause',
        finding: {
          rule: 'topology-root-cause@1',
          summary:
            'resource:default/redis-cart is the most likely root cause (score 0.82)',
          evidence: [
            { kind: 'alert', id: ROOT_ALERT },
            { kind: 'alert', id: 'not-in-this-incident' },
            { kind: 'entity', id: 'resource:default/redis-cart' },
          ],
          confidence: 0.874,
        },
        updatedAt: minutesAgo(25),
      },
    ],
    timeline: [
      entry('t1', 30, 'status', 'Incident opened: redis-cart: RedisDown'),
      entry('t2', 29, 'alert', 'Alert RedisDown joined'),
      entry('t3', 28, 'deployment', 'cart v1.4.2 deployed'),
      entry('t4', 27, 'finding', 'Root cause ranked: redis-cart'),
      entry('t5', 26, 'notification', 'Notified Slack #platform-oncall'),
      entry('t6', 15, 'escalation', 'Escalated to group:default/sre'),
      {
        ...entry('t7', 10, 'note', '<b>restarted</b> redis, watching'),
        actor: 'user:default/jane',
      },
    ],
  };
}

function entry(
  id: string,
  minutes: number,
  kind: IncidentDetails['timeline'][number]['kind'],
  summary: string,
): IncidentDetails['timeline'][number] {
  return {
    id,
    at: minutesAgo(minutes),
    kind,
    action: kind,
    summary,
    actor: 'system',
  };
}

function delivery(
  overrides: Partial<NotificationDelivery>,
): NotificationDelivery {
  return {
    id: 'n1',
    kind: 'message',
    incidentId: 'inc-1',
    change: 'opened',
    changeAt: minutesAgo(26),
    channel: 'slack',
    target: '#platform-oncall',
    group: 'group:default/platform-team',
    status: 'delivered',
    attempts: 1,
    nextAttemptAt: minutesAgo(26),
    deliveredAt: minutesAgo(26),
    createdAt: minutesAgo(26),
    ...overrides,
  };
}

/**
 * Answers the incident with `answer` and its notifications with `notifications`; the
 * narrative and similar incidents as if aiops-narrator and aiops-retrieval were not
 * installed, unless a test answers them itself.
 */
function answerIncident(
  answer: HttpResponseResolver,
  notifications: HttpResponseResolver = () => HttpResponse.json({ items: [] }),
) {
  server.use(
    http.get(`${CORRELATION}/incidents/:id`, answer),
    http.get(`${CORRELATION}/incidents/:id/notifications`, notifications),
    http.get(
      `${NARRATOR}/incidents/:id/narrative`,
      () => new HttpResponse('Not Found', { status: 404 }),
    ),
    http.get(
      `${RETRIEVAL}/incidents/:id/similar`,
      () => new HttpResponse(null, { status: 404 }),
    ),
  );
}

/** The incident's backend: GET answers `current()`, so a test can change it between loads. */
function serveIncident(
  current: () => IncidentDetails,
  deliveries: NotificationDelivery[] = [],
) {
  const gets: string[] = [];
  answerIncident(
    ({ params }) => {
      gets.push(String(params.id));
      return HttpResponse.json(current());
    },
    () => HttpResponse.json({ items: deliveries }),
  );
  return gets;
}

async function renderPage(
  ui: JSX.Element,
  options: { decision?: Decision; routeEntries?: string[] } = {},
) {
  const permissionRequests: EvaluatePermissionRequest[] = [];
  const rendered = await renderAiops(ui, {
    authorize: request => {
      permissionRequests.push(request);
      return options.decision ?? 'ALLOW';
    },
    routeEntries: options.routeEntries,
  });
  return { container: rendered.container, permissionRequests };
}

describe('IncidentView', () => {
  it('shows the incident: header, findings with evidence, root causes, entities, alerts', async () => {
    serveIncident(() => details());
    await renderPage(<IncidentView incidentId="inc-1" />);

    expect(
      await screen.findByRole('heading', {
        name: 'redis-cart: RedisDown (+1 related alerts)',
      }),
    ).toBeInTheDocument();
    const header = screen.getByRole('heading', {
      name: 'redis-cart: RedisDown (+1 related alerts)',
    }).parentElement!;
    expect(within(header).getByText('critical')).toBeInTheDocument();
    expect(within(header).getByText('open')).toBeInTheDocument();
    expect(
      within(screen.getByText('Opened').parentElement!).getByText('30 min ago'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /platform-team/ })).toHaveAttribute(
      'href',
      '/catalog/default/group/platform-team',
    );
    expect(
      screen.getByRole('link', { name: /online-boutique/ }),
    ).toHaveAttribute('href', '/catalog/default/system/online-boutique');
    expect(
      screen.getByRole('link', { name: /AIOps overview/ }),
    ).toHaveAttribute('href', '/aiops');

    // Findings, most confident first, with rule, confidence and evidence.
    const findings = screen
      .getByText('Findings')
      .closest('.MuiCard-root') as HTMLElement;
    const summaries = within(findings)
      .getAllByText(/most likely root cause|was deployed/)
      .map(node => node.textContent);
    expect(summaries).toEqual([
      'resource:default/redis-cart is the most likely root cause (score 0.82)',
      'cart v1.4.2 was deployed 3 min before the first alert',
    ]);
    expect(
      within(findings).getByText('topology-root-cause@1 · confidence 87 %'),
    ).toBeInTheDocument();
    expect(
      within(findings).getByText('deploy-linked@1 · confidence 70 %'),
    ).toBeInTheDocument();
    const alertChip = within(findings).getByText('alert b4908042…');
    expect(alertChip.closest('a')).toHaveAttribute(
      'href',
      `#alert-${ROOT_ALERT}`,
    );
    expect(document.getElementById(`alert-${ROOT_ALERT}`)).toHaveTextContent(
      'RedisDown',
    );
    // Evidence of an alert that is not listed here is not a dead link.
    expect(
      within(findings).getByText('alert not-in-t…').closest('a'),
    ).toBeNull();
    expect(
      within(findings)
        .getByText('entity resource:default/redis-cart')
        .closest('a'),
    ).toHaveAttribute('href', '/catalog/default/resource/redis-cart');
    expect(
      within(findings).getByText('deployment dep-1234'),
    ).toBeInTheDocument();
    expect(within(findings).getByText('regression reg-99')).toBeInTheDocument();

    // Root causes, best first, as catalog links with score and reasons.
    const causes = screen
      .getByText('Root-cause candidates')
      .closest('.MuiCard-root') as HTMLElement;
    const causeLinks = within(causes)
      .getAllByRole('link')
      .filter(link => link.getAttribute('href')?.startsWith('/catalog'));
    expect(causeLinks.map(link => link.getAttribute('href'))).toEqual([
      '/catalog/default/resource/redis-cart',
      '/catalog/default/component/cart',
    ]);
    expect(within(causes).getByText('score 0.82')).toBeInTheDocument();
    expect(within(causes).getByText('most likely')).toBeInTheDocument();
    expect(
      within(causes).getByText('upstream-most: the cascade starts here'),
    ).toBeInTheDocument();

    // Affected entities: links, and a graph of them from the likely root.
    const affected = screen.getByRole('list', { name: 'Affected entities' });
    expect(
      within(affected)
        .getAllByRole('link')
        .map(link => link.getAttribute('href')),
    ).toEqual([
      '/catalog/default/resource/redis-cart',
      '/catalog/default/component/cart',
      '/catalog/default/component/frontend',
    ]);
    const graph = screen.getByTestId('affected-entities-graph');
    await waitFor(() =>
      expect(within(graph).getAllByTestId('node')).toHaveLength(3),
    );
    expect(within(graph).getAllByTestId('edge')).toHaveLength(2);
    expect(within(graph).getByText('resource:redis-cart')).toBeInTheDocument();

    // Alerts: what, where, how bad, since when, and why each is here.
    const alerts = screen.getByRole('table', { name: 'Alerts' });
    const [head, ...rows] = within(alerts).getAllByRole(
      'row',
    ) as HTMLTableRowElement[];
    expect([...head.cells].map(cell => cell.textContent)).toEqual([
      'Alert',
      'Entity',
      'Severity',
      'Status',
      'Started',
      'Ended / last seen',
      'Role',
      'Joined by',
    ]);
    expect(
      rows.map(row => [...row.cells].map(cell => cell.textContent)),
    ).toEqual([
      [
        'RedisDownRedis is not answering',
        'redis-cart',
        'critical',
        'firing',
        '31 min ago',
        'last seen 1 min ago',
        'member',
        'group-key@1same entityattached 30 min ago',
      ],
      [
        'CartErrors',
        'cart',
        'error',
        'resolved',
        '29 min ago',
        'ended 4 min ago',
        'suppressedsymptom-of-root: by alert RedisDown (inhibition@1)',
        'topology-grouping@1depends-on resource:default/redis-cart (1 hop)attached 29 min ago',
      ],
    ]);
    expect(
      within(rows[0]).getByRole('link', { name: /redis-cart/ }),
    ).toHaveAttribute('href', '/catalog/default/resource/redis-cart');
    expect(within(rows[1]).getByRole('link', { name: /cart/ })).toHaveAttribute(
      'href',
      '/catalog/default/component/cart',
    );
    expect(within(rows[0]).getByText('RedisDown')).toHaveAttribute(
      'title',
      ROOT_ALERT,
    );
  });

  it('lists alerts by id when their details are unavailable, and says why', async () => {
    const shown = details();
    serveIncident(() => ({
      ...shown,
      alerts: shown.alerts.map(({ details: _, ...link }) => link),
      alertDetails: 'unavailable',
    }));
    await renderPage(<IncidentView incidentId="inc-1" />);

    const alerts = await screen.findByRole('table', { name: 'Alerts' });
    const card = alerts.closest('.MuiCard-root') as HTMLElement;
    expect(
      within(card).getByText(/Alert details are unavailable/),
    ).toBeInTheDocument();
    const rows = within(alerts).getAllByRole('row').slice(1);
    expect(rows.map(row => row.getAttribute('id'))).toEqual([
      `alert-${ROOT_ALERT}`,
      `alert-${SYMPTOM_ALERT}`,
    ]);
    expect(rows[0]).toHaveTextContent(ROOT_ALERT);
    expect(rows[0]).not.toHaveTextContent('no longer kept');
    expect(rows[1]).toHaveTextContent(
      `symptom-of-root: by alert ${ROOT_ALERT} (inhibition@1)`,
    );
  });

  it('marks an alert that ingest no longer keeps', async () => {
    const shown = details();
    const [root, symptom] = shown.alerts;
    serveIncident(() => ({
      ...shown,
      alerts: [root, { ...symptom, details: undefined }],
    }));
    await renderPage(<IncidentView incidentId="inc-1" />);

    const alerts = await screen.findByRole('table', { name: 'Alerts' });
    expect(
      within(alerts).queryByText(/Alert details are unavailable/),
    ).toBeNull();
    const rows = within(alerts).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('RedisDown');
    expect(rows[1]).toHaveTextContent(
      `${SYMPTOM_ALERT}no longer kept by ingest`,
    );
  });

  it('shows every kind of timeline entry, newest first, and who did it', async () => {
    serveIncident(() => details());
    await renderPage(<IncidentView incidentId="inc-1" />);

    const timeline = await screen.findByRole('table', { name: 'Timeline' });
    const rows = within(timeline)
      .getAllByRole('row')
      .slice(1) as HTMLTableRowElement[];
    expect(rows.map(row => row.cells[1].textContent)).toEqual([
      'note',
      'escalation',
      'notification',
      'finding',
      'deployment',
      'alert',
      'status',
    ]);
    expect(rows[0]).toHaveTextContent('<b>restarted</b> redis, watching');
    expect(within(rows[0]).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/default/user/jane',
    );
    expect(rows[1]).toHaveTextContent('system');
    expect(timeline.querySelector('b')).toBeNull();
  });

  it('lists the notifications sent and highlights dead letters', async () => {
    serveIncident(
      () => details(),
      [
        delivery({
          id: 'n2',
          channel: 'webhook',
          target: 'https://hooks.example/***',
          change: 'escalated',
          status: 'dead',
          attempts: 8,
          lastError: 'HTTP 500 from hooks.example',
          deliveredAt: undefined,
        }),
        delivery({ id: 'n1' }),
      ],
    );
    await renderPage(<IncidentView incidentId="inc-1" />);

    const table = await screen.findByRole('table', { name: 'Notifications' });
    const [, dead, delivered] = within(table).getAllByRole('row');
    expect(dead).toHaveAttribute('data-status', 'dead');
    expect(dead).toHaveTextContent('webhook');
    expect(dead).toHaveTextContent('https://hooks.example/***');
    expect(dead).toHaveTextContent('dead letter');
    expect(dead).toHaveTextContent('HTTP 500 from hooks.example');
    expect(delivered).toHaveTextContent('slack');
    expect(delivered).toHaveTextContent('#platform-oncall');
    expect(delivered).toHaveTextContent('delivered');
    expect(
      screen.getByText(/1 notification could not be delivered/),
    ).toBeInTheDocument();
  });

  it("keeps the incident when its notifications can't be read, and says why", async () => {
    answerIncident(
      () => HttpResponse.json(details()),
      () =>
        backstageError(403, 'NotAllowedError', 'Only admins may read these'),
    );
    await renderPage(<IncidentView incidentId="inc-1" />);

    expect(
      await screen.findByText(
        'Could not load the notifications: Only admins may read these',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Findings')).toBeInTheDocument();
  });

  it('shows progress while the incident loads', async () => {
    const held = holdResponses();
    answerIncident(held.answer(details()));
    await renderPage(<IncidentView incidentId="inc-1" />);

    expect(screen.getByTestId('progress')).toBeInTheDocument();
    held.release();
    expect(await screen.findByText('Findings')).toBeInTheDocument();
  });

  it('says so when the incident does not exist', async () => {
    const notFound = () =>
      backstageError(404, 'NotFoundError', 'No incident inc-gone');
    answerIncident(notFound, notFound);
    await renderPage(<IncidentView incidentId="inc-gone" />);

    expect(
      await screen.findByText('Incident inc-gone not found'),
    ).toBeInTheDocument();
  });

  it("shows the backend's message when the incident cannot be loaded", async () => {
    answerIncident(() => backstageError(500, 'Error', 'database is locked'));
    await renderPage(<IncidentView incidentId="inc-1" />);

    expect(
      await screen.findByText(
        /Could not load incident inc-1: database is locked/,
      ),
    ).toBeInTheDocument();
  });

  it('renders untrusted text as text', async () => {
    serveIncident(() =>
      details({ id: 'inc-xss', title: '<img src=x onerror=alert(1)>' }),
    );
    const { container } = await renderPage(
      <IncidentView incidentId="inc-xss" />,
    );

    expect(
      await screen.findByRole('heading', {
        name: '<img src=x onerror=alert(1)>',
      }),
    ).toBeInTheDocument();
    expect(container.querySelector('img')).toBeNull();
  });

  it('shows the narrative first, above the findings', async () => {
    serveIncident(() => details());
    server.use(
      http.get(`${NARRATOR}/incidents/:id/narrative`, ({ params }) =>
        HttpResponse.json({
          incidentId: params.id,
          current: narrative({ incidentId: String(params.id) }),
          history: [],
        }),
      ),
    );
    await renderPage(<IncidentView incidentId="inc-1" />);

    const summary = await screen.findByText(
      'Redis (cart) is the most likely cause, alerting since 07:04.',
    );
    const findings = screen.getByText('Findings');
    expect(
      // eslint-disable-next-line no-bitwise
      summary.compareDocumentPosition(findings) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
  });

  it('renders the whole page when retrieval fails', async () => {
    serveIncident(() => details());
    server.use(
      http.get(`${RETRIEVAL}/incidents/:id/similar`, () =>
        HttpResponse.error(),
      ),
    );
    await renderPage(<IncidentView incidentId="inc-1" />);

    expect(
      await screen.findByText(/^Could not search past incidents/),
    ).toBeInTheDocument();
    expect(screen.getByText('Findings')).toBeInTheDocument();
    expect(screen.getByText('Alerts')).toBeInTheDocument();
  });

  it('renders the whole page when the narrator cannot be reached', async () => {
    serveIncident(() => details());
    server.use(
      http.get(`${NARRATOR}/incidents/:id/narrative`, () =>
        HttpResponse.error(),
      ),
    );
    await renderPage(<IncidentView incidentId="inc-1" />);

    expect(await screen.findByText('No narrative yet.')).toBeInTheDocument();
    expect(screen.getByText('Findings')).toBeInTheDocument();
    expect(screen.getByText('Alerts')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Regenerate' }),
    ).not.toBeInTheDocument();
  });
});

describe('IncidentView actions', () => {
  it('hides the actions from those who may not change the incident', async () => {
    serveIncident(() => details({ id: 'inc-denied' }));
    const { permissionRequests } = await renderPage(
      <IncidentView incidentId="inc-denied" />,
      { decision: 'DENY' },
    );

    expect(
      await screen.findByText(
        'You do not have permission to change this incident.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /acknowledge|resolve|reopen/i }),
    ).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add note' })).toBeNull();
    expect(permissionRequests).toEqual([
      expect.objectContaining({
        permission: expect.objectContaining({ name: 'aiops.incident.update' }),
        resourceRef: 'inc-denied',
      }),
    ]);
  });

  it('offers acknowledge and resolve on an open incident', async () => {
    serveIncident(() => details({ id: 'inc-open' }));
    await renderPage(<IncidentView incidentId="inc-open" />);

    expect(
      await screen.findByRole('button', { name: 'Acknowledge' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Resolve' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Reopen' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Add note' })).toBeDisabled();
  });

  it('offers only reopen on a resolved incident', async () => {
    serveIncident(() =>
      details({
        id: 'inc-resolved',
        status: 'resolved',
        resolvedAt: minutesAgo(1),
      }),
    );
    await renderPage(<IncidentView incidentId="inc-resolved" />);

    expect(
      await screen.findByRole('button', { name: 'Reopen' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Acknowledge' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Resolve' })).toBeNull();
  });

  it('offers no reopen on a merged incident, and links to where it went', async () => {
    serveIncident(() =>
      details({
        id: 'inc-merged',
        status: 'resolved',
        resolvedAt: minutesAgo(1),
        mergedInto: 'inc-target',
      }),
    );
    await renderPage(<IncidentView incidentId="inc-merged" />);

    expect(
      await screen.findByRole('link', { name: 'inc-target' }),
    ).toHaveAttribute('href', '/aiops/incidents/inc-target');
    expect(
      screen.getByRole('button', { name: 'Add note' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /acknowledge|resolve|reopen/i }),
    ).toBeNull();
  });

  it('acknowledges, then reloads the incident', async () => {
    let current = details({ id: 'inc-ack' });
    const gets = serveIncident(() => current);
    const posts: string[] = [];
    server.use(
      http.post(`${CORRELATION}/incidents/:id/acknowledge`, ({ params }) => {
        posts.push(String(params.id));
        current = details({
          id: 'inc-ack',
          status: 'acknowledged',
          acknowledgedAt: new Date().toISOString(),
        });
        current.timeline.push({
          ...entry('t8', 0, 'status', 'Acknowledged by user:default/jane'),
          actor: 'user:default/jane',
        });
        return HttpResponse.json(current.incident);
      }),
    );
    await renderPage(<IncidentView incidentId="inc-ack" />);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Acknowledge' }),
    );

    expect(
      await screen.findByText('Acknowledged by user:default/jane'),
    ).toBeInTheDocument();
    expect(posts).toEqual(['inc-ack']);
    expect(gets).toEqual(['inc-ack', 'inc-ack']);
    expect(screen.getByText('acknowledged')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Acknowledge' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Resolve' })).toBeEnabled();
  });

  it("shows the backend's message when an action fails", async () => {
    serveIncident(() => details({ id: 'inc-conflict' }));
    server.use(
      http.post(`${CORRELATION}/incidents/:id/resolve`, () =>
        backstageError(
          409,
          'ConflictError',
          'Incident inc-conflict was merged',
        ),
      ),
    );
    await renderPage(<IncidentView incidentId="inc-conflict" />);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Resolve' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Resolve' }),
    );

    // Said in the dialog, which stays open to try again.
    expect(
      await within(dialog).findByText(
        'Could not resolve: Incident inc-conflict was merged',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Resolve' }),
    ).toBeEnabled();
  });

  it('adds a note and shows it after reloading', async () => {
    let current = details({ id: 'inc-note' });
    serveIncident(() => current);
    const bodies: unknown[] = [];
    server.use(
      http.post(`${CORRELATION}/incidents/:id/notes`, async ({ request }) => {
        const body = (await request.json()) as { text: string };
        bodies.push(body);
        const note = {
          ...entry('t9', 0, 'note', body.text),
          actor: 'user:default/jane',
        };
        current = { ...current, timeline: [...current.timeline, note] };
        return HttpResponse.json(note, { status: 201 });
      }),
    );
    await renderPage(<IncidentView incidentId="inc-note" />);

    await userEvent.click(await screen.findByRole('textbox', { name: 'Note' }));
    await userEvent.paste('  failing over to the replica  ');
    await userEvent.click(screen.getByRole('button', { name: 'Add note' }));

    expect(
      await screen.findByText('failing over to the replica'),
    ).toBeInTheDocument();
    expect(bodies).toEqual([{ text: 'failing over to the replica' }]);
    expect(screen.getByRole('textbox', { name: 'Note' })).toHaveValue('');
  });
});

describe('IncidentPage', () => {
  it('loads the incident named in the route', async () => {
    const gets = serveIncident(() => details({ id: 'inc-route' }));
    await renderPage(
      <Routes>
        <Route path="/aiops/incidents/:id" element={<IncidentPage />} />
      </Routes>,
      { routeEntries: ['/aiops/incidents/inc-route'] },
    );

    expect(await screen.findByText('Findings')).toBeInTheDocument();
    expect(gets[0]).toBe('inc-route');
  });
});
