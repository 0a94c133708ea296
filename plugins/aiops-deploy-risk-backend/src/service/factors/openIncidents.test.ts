import { riskInput } from '../__testUtils__/input';
import { openIncidents } from './openIncidents';

describe('open-incidents@1', () => {
  it('is 0 and does not block when nothing is open', () => {
    const m = openIncidents.measure(riskInput());
    expect(m.value).toBe(0);
    expect(m.block).toBeUndefined();
    expect(m.explanation).toBe(
      'No incident is open on the entity or its dependencies.',
    );
  });

  it('counts incidents on dependencies at half weight', () => {
    const m = openIncidents.measure(
      riskInput({
        incidents: [
          { id: 'a', entityRef: 'x', severity: 'error', relation: 'entity' },
          {
            id: 'b',
            entityRef: 'y',
            severity: 'error',
            relation: 'dependency',
          },
        ],
      }),
    );
    expect(m.value).toBeCloseTo(0.9);
    expect(m.block).toBeUndefined();
    expect(m.explanation).toBe(
      '1 incident open on the entity and 1 incident on its dependencies.',
    );
  });

  it('blocks on a critical incident on the entity, not on a dependency', () => {
    const onDependency = openIncidents.measure(
      riskInput({
        incidents: [
          {
            id: 'b',
            entityRef: 'y',
            severity: 'critical',
            relation: 'dependency',
          },
        ],
      }),
    );
    expect(onDependency.block).toBeUndefined();
    const onEntity = openIncidents.measure(
      riskInput({
        incidents: [
          {
            id: 'i2',
            entityRef: 'x',
            severity: 'critical',
            relation: 'entity',
          },
          {
            id: 'i1',
            entityRef: 'x',
            severity: 'critical',
            relation: 'entity',
          },
          {
            id: 'i3',
            entityRef: 'x',
            severity: 'critical',
            relation: 'entity',
          },
        ],
      }),
    );
    expect(onEntity.block).toBe(
      'a critical incident is open on the entity (i1, i2, i3)',
    );
    expect(onEntity.value).toBe(2);
  });
});
