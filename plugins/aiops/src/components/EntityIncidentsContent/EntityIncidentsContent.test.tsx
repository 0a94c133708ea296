import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import type { Incident } from '@aiops/plugin-aiops-common';
import {
  CORRELATION,
  backstageError,
  cartEntity,
  holdResponses,
  incident,
  renderAiops,
  setupAiopsTestApp,
} from '../../__testUtils__/aiopsTestApp';
import { EntityIncidentsContent } from './EntityIncidentsContent';

// Rendering a whole app per test is slow on a busy, shared CI machine.
const server = setupAiopsTestApp({ testTimeoutMs: 15_000 });

const INCIDENTS_URL = `${CORRELATION}/incidents`;

/** Answers every incident list with `items` and records the query strings it was asked. */
function answerWith(items: Incident[]) {
  const queries: URLSearchParams[] = [];
  server.use(
    http.get(INCIDENTS_URL, ({ request }) => {
      queries.push(new URL(request.url).searchParams);
      return HttpResponse.json({ items });
    }),
  );
  return queries;
}

function renderTab() {
  return renderAiops(<EntityIncidentsContent />, { entity: cartEntity });
}

/** Renders the tab with no incidents to show and waits for its first query. */
async function renderEmptyTabAndWait() {
  const queries = answerWith([]);
  await renderTab();
  await waitFor(() => expect(queries).toHaveLength(1));
  return queries;
}

describe('EntityIncidentsContent', () => {
  it("lists the entity's open and acknowledged incidents, linked to their pages", async () => {
    const queries = answerWith([
      incident({ id: 'inc-a', title: 'cart: CartDown', severity: 'critical' }),
      incident({
        id: 'inc-b',
        title: 'cart: SlowCheckout',
        status: 'acknowledged',
        severity: 'warning',
      }),
    ]);

    await renderTab();

    expect(
      await screen.findByRole('link', { name: 'cart: CartDown' }),
    ).toHaveAttribute('href', '/aiops/incidents/inc-a');
    expect(
      screen.getByRole('link', { name: 'cart: SlowCheckout' }),
    ).toHaveAttribute('href', '/aiops/incidents/inc-b');
    expect(screen.getByText('Incidents of cart')).toBeInTheDocument();

    expect(queries).toHaveLength(1);
    expect(queries[0].get('entityRef')).toBe('component:default/cart');
    expect(queries[0].get('status')).toBe('open,acknowledged');
    expect(queries[0].get('severity')).toBeNull();
    expect(queries[0].get('limit')).toBe('100');

    expect(screen.getByRole('button', { name: 'open' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    expect(screen.getByRole('button', { name: 'resolved' })).toHaveAttribute(
      'aria-pressed',
      'false',
    );
  });

  it('asks again with the filters people choose', async () => {
    const queries = await renderEmptyTabAndWait();

    await userEvent.click(screen.getByRole('button', { name: 'resolved' }));
    await waitFor(() => expect(queries).toHaveLength(2));
    expect(queries[1].get('status')).toBe('open,acknowledged,resolved');

    await userEvent.click(screen.getByRole('button', { name: 'critical' }));
    await userEvent.click(screen.getByRole('button', { name: 'error' }));
    await waitFor(() => expect(queries).toHaveLength(4));
    expect(queries[3].get('severity')).toBe('critical,error');
    expect(queries[3].get('status')).toBe('open,acknowledged,resolved');

    await userEvent.click(screen.getByRole('button', { name: 'open' }));
    await waitFor(() => expect(queries).toHaveLength(5));
    expect(queries[4].get('status')).toBe('acknowledged,resolved');
  });

  it('keeps at least one status selected', async () => {
    const queries = await renderEmptyTabAndWait();

    await userEvent.click(screen.getByRole('button', { name: 'open' }));
    await waitFor(() => expect(queries).toHaveLength(2));
    await userEvent.click(screen.getByRole('button', { name: 'acknowledged' }));

    expect(
      screen.getByRole('button', { name: 'acknowledged' }),
    ).toHaveAttribute('aria-pressed', 'true');
    expect(queries).toHaveLength(2);
    expect(queries[1].get('status')).toBe('acknowledged');
  });

  it('says when the entity has no incidents, and how to see past ones', async () => {
    answerWith([]);

    await renderTab();

    expect(
      await screen.findByText('No incidents for cart with these filters.'),
    ).toBeInTheDocument();
    expect(screen.getByText(/Select "resolved"/)).toBeInTheDocument();
  });

  it('shows progress until the incidents arrive', async () => {
    const held = holdResponses();
    server.use(http.get(INCIDENTS_URL, held.answer({ items: [incident()] })));

    await renderTab();

    expect(screen.getByTestId('progress')).toBeInTheDocument();
    held.release();
    expect(
      await screen.findByRole('link', { name: 'cart: HighErrorRate' }),
    ).toBeInTheDocument();
  });

  it("shows the backend's message when the list fails", async () => {
    server.use(
      http.get(INCIDENTS_URL, () =>
        backstageError(
          400,
          'InputError',
          'Invalid query parameter severity: fatal',
        ),
      ),
    );

    await renderTab();

    expect(
      await screen.findByText(
        /Could not load incidents: Invalid query parameter severity: fatal/,
      ),
    ).toBeInTheDocument();
    // The filters stay, so people can change what they asked for.
    expect(
      screen.getByRole('button', { name: 'resolved' }),
    ).toBeInTheDocument();
  });

  it('renders incident titles as text', async () => {
    answerWith([incident({ title: '<img src=x onerror=alert(1)>' })]);

    const { container } = await renderTab();

    expect(
      await screen.findByRole('link', { name: '<img src=x onerror=alert(1)>' }),
    ).toBeInTheDocument();
    expect(container.querySelector('img')).toBeNull();
  });
});
