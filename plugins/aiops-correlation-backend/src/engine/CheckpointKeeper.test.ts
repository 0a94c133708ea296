import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseCheckpointStore } from '../database/CheckpointStore';
import { emptyCorrelationState } from '../service/correlate';
import {
  CheckpointKeeper,
  STORM_DEFERRAL,
  STORM_EVENTS_PER_SECOND,
} from './CheckpointKeeper';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const INTERVAL = 10_000;
const TICK = 5_000;

describe('CheckpointKeeper', () => {
  async function setUp() {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseCheckpointStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    let now = 1_796_000_000_000;
    const keeper = new CheckpointKeeper({
      store,
      logger: mockServices.logger.mock(),
      now: () => now,
      intervalMs: INTERVAL,
    });
    let cursor = 0;
    /** One tick: `events` correlated in the tick interval before it, then the save attempt. */
    const tick = async (events: number) => {
      now += TICK;
      cursor += events;
      if (events > 0) keeper.changed(events);
      await keeper.save(false, {
        state: emptyCorrelationState(),
        cursors: { alerts: String(cursor), deployments: '0' },
      });
      // The write runs outside the correlation queue.
      await keeper.written();
      return (await store.load())?.alertCursor;
    };
    return { tick, keeper, store };
  }

  it('saves at most every interval while alerts trickle in', async () => {
    const { tick } = await setUp();
    await tick(0); // the first call only measures
    expect(await tick(10)).toBe('10');
    expect(await tick(10)).toBe('10'); // 5 s after the save: not due
    expect(await tick(10)).toBe('30');
    // Nothing changed: nothing to save.
    expect(await tick(0)).toBe('30');
  });

  it('waits for a quieter tick during a storm, but no longer than a few intervals', async () => {
    const { tick } = await setUp();
    const storm = STORM_EVENTS_PER_SECOND * (TICK / 1000);
    await tick(0);
    expect(await tick(10)).toBe('10');
    // A storm: due after one interval, deferred while it lasts …
    const saved: Array<string | undefined> = [];
    for (let i = 0; i < (INTERVAL * STORM_DEFERRAL) / TICK; i++)
      saved.push(await tick(storm));
    // … up to STORM_DEFERRAL intervals after the last save, then saved anyway.
    expect(saved.slice(0, -1).every(c => c === '10')).toBe(true);
    expect(saved[saved.length - 1]).not.toBe('10');
    // The storm ends: the next due tick saves.
    const afterStorm = await tick(5);
    await tick(5);
    expect(Number(await tick(5))).toBeGreaterThan(Number(afterStorm));
  });

  it('always saves when forced (at shutdown), even in a storm', async () => {
    const { keeper, store, tick } = await setUp();
    await tick(0);
    expect(await tick(STORM_EVENTS_PER_SECOND * 10)).toBe(
      String(STORM_EVENTS_PER_SECOND * 10),
    );
    await tick(STORM_EVENTS_PER_SECOND * 10); // a storm, 5 s after the save
    keeper.changed(10_000);
    await keeper.save(true, {
      state: emptyCorrelationState(),
      cursors: { alerts: '99999', deployments: '1' },
    });
    expect((await store.load())?.alertCursor).toBe('99999');
  });
});
