import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import type { Incident, IncidentDetails } from '@aiops/plugin-aiops-common';
import {
  CORRELATION,
  NARRATOR,
  RETRIEVAL,
  incident,
  minutesAgo,
  renderAiops,
  setupAiopsTestApp,
} from '../../__testUtils__/aiopsTestApp';
import { IncidentView } from './IncidentPage';

const server = setupAiopsTestApp({ testTimeoutMs: 15_000 });

const jane = 'user:default/jane';

function details(overrides: Partial<Incident>): IncidentDetails {
  return {
    incident: incident(overrides),
    alerts: [],
    findings: [],
    timeline: [],
  };
}

/**
 * The incident's backend: GET answers the current incident, resolve records the body it was
 * sent and answers what `onResolve` makes of the incident.
 */
function serveIncident(
  initial: Incident,
  onResolve: (current: Incident, body: any) => Incident,
) {
  let current = initial;
  const bodies: unknown[] = [];
  server.use(
    http.get(`${CORRELATION}/incidents/:id`, () =>
      HttpResponse.json(details(current)),
    ),
    http.get(`${CORRELATION}/incidents/:id/notifications`, () =>
      HttpResponse.json({ items: [] }),
    ),
    http.get(
      `${NARRATOR}/incidents/:id/narrative`,
      () => new HttpResponse('Not Found', { status: 404 }),
    ),
    http.get(
      `${RETRIEVAL}/incidents/:id/similar`,
      () => new HttpResponse(null, { status: 404 }),
    ),
    http.post(`${CORRELATION}/incidents/:id/resolve`, async ({ request }) => {
      const text = await request.text();
      const body = text ? JSON.parse(text) : undefined;
      bodies.push(body);
      current = onResolve(current, body);
      return HttpResponse.json(current);
    }),
  );
  return bodies;
}

const resolvedWith = (current: Incident, body: any): Incident => ({
  ...current,
  status: 'resolved',
  resolvedAt: current.resolvedAt ?? minutesAgo(0),
  resolution: {
    ...body?.resolution,
    resolvedBy: current.resolution?.resolvedBy ?? jane,
    resolvedAt: current.resolvedAt ?? minutesAgo(0),
  },
});

const render = (id: string) =>
  renderAiops(<IncidentView incidentId={id} />, { authorize: () => 'ALLOW' });

describe('resolving an incident with what fixed it', () => {
  it('asks what fixed it and sends it with the resolve, then shows it', async () => {
    const bodies = serveIncident(incident({ id: 'inc-fix' }), resolvedWith);
    await render('inc-fix');

    await userEvent.click(
      await screen.findByRole('button', { name: 'Resolve' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Resolve incident',
    });
    await userEvent.click(
      within(dialog).getByRole('textbox', { name: 'What fixed it' }),
    );
    await userEvent.paste('  Rolled back cart to v41  ');
    await userEvent.click(
      within(dialog).getByRole('textbox', { name: 'Postmortem link' }),
    );
    await userEvent.paste('https://wiki.example.com/pm/42');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Resolve' }),
    );

    const resolution = await screen.findByRole('region', {
      name: 'Resolution',
    });
    expect(
      within(resolution).getByText('Rolled back cart to v41'),
    ).toBeVisible();
    expect(
      within(resolution).getByRole('link', {
        name: /^https:\/\/wiki\.example\.com\/pm\/42/,
      }),
    ).toHaveAttribute('href', 'https://wiki.example.com/pm/42');
    expect(
      within(resolution).getByText(/Resolved by user:default\/jane/),
    ).toBeVisible();
    expect(bodies).toEqual([
      {
        resolution: {
          note: 'Rolled back cart to v41',
          postmortemUrl: 'https://wiki.example.com/pm/42',
        },
      },
    ]);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('resolves without a body when both fields are left empty', async () => {
    const bodies = serveIncident(incident({ id: 'inc-plain' }), resolvedWith);
    await render('inc-plain');

    await userEvent.click(
      await screen.findByRole('button', { name: 'Resolve' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Resolve' }),
    );

    expect(
      await screen.findByText('No note on what fixed it.'),
    ).toBeInTheDocument();
    expect(bodies).toEqual([undefined]);
  });

  it('refuses a link that is not http(s) before sending anything', async () => {
    const bodies = serveIncident(incident({ id: 'inc-bad' }), resolvedWith);
    await render('inc-bad');

    await userEvent.click(
      await screen.findByRole('button', { name: 'Resolve' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('textbox', { name: 'Postmortem link' }),
    );
    await userEvent.paste('wiki/pm/42');

    expect(
      within(dialog).getByText('Enter a full link, starting with https://'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Resolve' }),
    ).toBeDisabled();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(bodies).toEqual([]);
  });

  it('edits the resolution of a resolved incident, starting from what was recorded', async () => {
    const resolved = incident({
      id: 'inc-edit',
      status: 'resolved',
      resolvedAt: minutesAgo(30),
      resolution: {
        note: 'Restarted redis',
        resolvedBy: 'user:default/ann',
        resolvedAt: minutesAgo(30),
      },
    });
    const bodies = serveIncident(resolved, resolvedWith);
    await render('inc-edit');

    await userEvent.click(
      await screen.findByRole('button', { name: 'Edit resolution' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Edit resolution',
    });
    const note = within(dialog).getByRole('textbox', { name: 'What fixed it' });
    expect(note).toHaveValue('Restarted redis');
    await userEvent.click(note);
    await userEvent.paste('; the cart pool was exhausted');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Save resolution' }),
    );

    expect(
      await screen.findByText('Restarted redis; the cart pool was exhausted'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Resolved by user:default\/ann/),
    ).toBeInTheDocument();
    expect(bodies).toEqual([
      { resolution: { note: 'Restarted redis; the cart pool was exhausted' } },
    ]);
  });

  it('shows a stored link that is not http(s) as text, never as a link', async () => {
    serveIncident(
      incident({
        id: 'inc-unsafe',
        status: 'resolved',
        resolvedAt: minutesAgo(5),
        mergedInto: 'inc-other',
        resolution: {
          note: '<b>not bold</b>',
          postmortemUrl: ['javascript', 'alert(1)'].join(':'),
          resolvedBy: jane,
          resolvedAt: minutesAgo(5),
        },
      }),
      resolvedWith,
    );
    await render('inc-unsafe');

    const resolution = await screen.findByRole('region', {
      name: 'Resolution',
    });
    expect(within(resolution).getByText('<b>not bold</b>')).toBeVisible();
    expect(within(resolution).queryByRole('link')).toBeNull();
    expect(within(resolution).getByText(/alert\(1\)/)).toBeVisible();
    // A merged incident's fix belongs to the incident it went into.
    expect(screen.queryByRole('button', { name: /resolution/i })).toBeNull();
  });
});
