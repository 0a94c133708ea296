import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DefaultEventsService,
  type EventParams,
} from '@backstage/plugin-events-node';
import { CatalogEntityResolver } from '@aiops/plugin-aiops-node';
import { DatabaseIngestStore } from '../database/DatabaseIngestStore';
import { alertInput } from '../__testUtils__/inputs';
import { IngestService } from './IngestService';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

async function createService() {
  const knex = await databases.init('SQLITE_3');
  const store = await DatabaseIngestStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  const events = DefaultEventsService.create({
    logger: mockServices.logger.mock(),
  });
  const published: EventParams[] = [];
  await events.subscribe({
    id: 'test',
    topics: ['aiops.alert.received'],
    onEvent: async event => {
      published.push(event);
    },
  });
  const resolver = new CatalogEntityResolver({
    catalog: catalogServiceMock({ entities: [] }),
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
  });
  const service = new IngestService({
    store,
    resolver,
    events: events.forPlugin('aiops-ingest'),
    logger: mockServices.logger.mock(),
  });
  return { service, published };
}

const announced = (published: EventParams[]) =>
  published.map(event =>
    (
      event.eventPayload as {
        alerts: Array<{ alert: { fingerprint: string }; cursor: string }>;
      }
    ).alerts.map(({ alert: { fingerprint }, cursor }) => ({
      fingerprint,
      cursor,
    })),
  );

describe('IngestService', () => {
  it('announces once per committed write, listing the changes of every request it carried', async () => {
    const { service, published } = await createService();
    // The first request is written alone; the two that arrive while it is in flight are written
    // together in the next transaction.
    await Promise.all([
      service.receiveAlerts([alertInput('a')]),
      service.receiveAlerts([alertInput('b'), alertInput('c')]),
      service.receiveAlerts([alertInput('d')]),
    ]);
    await new Promise(resolve => setImmediate(resolve));

    const events = announced(published);
    expect(events.map(alerts => alerts.map(a => a.fingerprint))).toEqual([
      ['a'],
      ['b', 'c', 'd'],
    ]);
    const cursors = events.flat().map(a => Number(a.cursor));
    expect(cursors).toEqual([...cursors].sort((x, y) => x - y));
  });

  it('announces only state changes: a repeated delivery is stored but not announced again', async () => {
    const { service, published } = await createService();
    await service.receiveAlerts([alertInput('a')]);
    const receipt = await service.receiveAlerts([alertInput('a')]);
    await new Promise(resolve => setImmediate(resolve));

    expect(receipt.accepted).toBe(1);
    expect(
      announced(published).map(alerts => alerts.map(a => a.fingerprint)),
    ).toEqual([['a']]);
  });
});
