import type { Deployment, Incident } from '@aiops/plugin-aiops-common';
import { EntityIndex } from '@aiops/plugin-aiops-node';
import type { Entity } from '@backstage/catalog-model';
import { readDeployRiskPluginConfig } from '../policyConfig';
import { ConfigReader } from '@backstage/config';
import type {
  AssessmentStore,
  StoredAssessment,
} from '../database/AssessmentStore';
import type { SuiteReader } from './SuiteReader';
import { dependentsOf, SuiteRiskContextSource } from './SuiteRiskContextSource';

const component = (
  name: string,
  dependsOn: string[],
  annotations: Record<string, string> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: {},
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/team' },
    ...dependsOn.map(d => ({
      type: 'dependsOn',
      targetRef: `component:default/${d}`,
    })),
  ],
});

// db <- api <- web, db <- worker; relations in both directions as the catalog stitches them.
function catalog(): EntityIndex {
  const entities = [
    component('web', ['api'], { 'aiops/tier': 'tier-1' }),
    component('api', ['db']),
    component('worker', ['db'], { 'aiops/lifecycle': 'experimental' }),
    component('db', []),
  ];
  for (const e of entities) {
    for (const r of [...(e.relations ?? [])]) {
      if (r.type !== 'dependsOn') continue;
      const target = entities.find(
        t => `component:default/${t.metadata.name}` === r.targetRef,
      )!;
      target.relations!.push({
        type: 'dependencyOf',
        targetRef: `component:default/${e.metadata.name}`,
      });
    }
  }
  return EntityIndex.fromEntities(entities);
}

const ref = (name: string) => `component:default/${name}`;

describe('dependentsOf', () => {
  it('walks dependents breadth first, each once at its shortest depth, with tier and lifecycle from annotations', () => {
    expect(dependentsOf(catalog(), ref('db'))).toEqual([
      { entityRef: ref('api'), depth: 1 },
      { entityRef: ref('worker'), depth: 1, lifecycle: 'experimental' },
      { entityRef: ref('web'), depth: 2, tier: 'tier-1' },
    ]);
    expect(dependentsOf(catalog(), ref('web'))).toEqual([]);
  });
});

describe('SuiteRiskContextSource', () => {
  const incident = (
    id: string,
    primary: string,
    severity: Incident['severity'],
  ) => ({ id, title: id, severity, primaryEntityRef: primary } as Incident);
  const suite = (over: Partial<SuiteReader>): SuiteReader => ({
    openIncidents: async () => [],
    incidentsOpened: async () => [],
    deployments: async () => [],
    deploymentFeed: async after => ({ items: [], cursor: after }),
    regressions: async () => [],
    ...over,
  });
  const store = (assessments: Partial<StoredAssessment>[] = []) =>
    ({ list: async () => assessments } as unknown as AssessmentStore);
  const source = (
    reader: SuiteReader,
    assessments?: Partial<StoredAssessment>[],
  ) =>
    new SuiteRiskContextSource({
      snapshot: async () => catalog(),
      suite: reader,
      store: store(assessments),
      config: readDeployRiskPluginConfig(new ConfigReader({})),
    });

  it('counts an incident on the entity only when it is the primary entity, and each incident once', async () => {
    const open: Record<string, Incident[]> = {
      [ref('api')]: [
        incident('own', ref('api'), 'critical'),
        incident('rooted-in-db', ref('db'), 'critical'),
      ],
      [ref('db')]: [
        incident('rooted-in-db', ref('db'), 'critical'),
        incident('db-2', ref('db'), 'warning'),
      ],
    };
    const found = await source(
      suite({ openIncidents: async r => open[r] ?? [] }),
    ).openIncidents(ref('api'));
    expect(found.map(i => [i.id, i.entityRef, i.relation])).toEqual([
      ['own', ref('api'), 'entity'],
      ['rooted-in-db', ref('db'), 'dependency'],
      ['db-2', ref('db'), 'dependency'],
    ]);
  });

  it('takes past deployments from ingest with the outcomes recorded here; unassessed ones are pending', async () => {
    const deploy = (id: string, startedAt: string) =>
      ({ id, startedAt } as Deployment);
    const found = await source(
      suite({
        deployments: async () => [
          deploy('d1', '2026-12-01T10:00:00.000Z'),
          deploy('d2', '2026-12-02T10:00:00.000Z'),
          deploy('later', '2026-12-09T10:00:00.000Z'),
        ],
      }),
      [{ deploymentId: 'd1', outcome: 'failed' }, { deploymentId: 'd2' }],
    ).deployments(
      ref('api'),
      'production',
      '2026-09-01T00:00:00.000Z',
      '2026-12-03T00:00:00.000Z',
    );
    expect(found).toEqual([
      { id: 'd1', at: '2026-12-01T10:00:00.000Z', outcome: 'failed' },
      { id: 'd2', at: '2026-12-02T10:00:00.000Z', outcome: 'pending' },
    ]);
  });

  it('reads active regressions and knows only catalog entities', async () => {
    const s = source(
      suite({
        regressions: async (_r, statuses) =>
          statuses.includes('active')
            ? [
                {
                  id: 'r1',
                  entityRef: ref('api'),
                  metric: 'error_rate',
                  relativeChange: 0.4,
                  changeAt: '',
                  status: 'active',
                },
              ]
            : [],
      }),
    );
    expect(await s.activeRegressions(ref('api'))).toEqual([
      { id: 'r1', metric: 'error_rate', relativeChange: 0.4 },
    ]);
    expect(await s.entityExists(ref('api'))).toBe(true);
    expect(await s.entityExists(ref('nope'))).toBe(false);
  });
});
