import fs from 'node:fs';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  summarizeEntity,
  type CatalogEntitySummary,
} from '@aiops/plugin-aiops-node';
import { entitiesFromYaml, loadDemoCatalog } from './demoCatalog';
import { SCENARIOS, type Scenario } from './scenarios';
import { SOCIAL_NETWORK_SCENARIOS } from './socialNetworkScenarios';
import { HOTEL_RESERVATION_SCENARIOS } from './hotelReservationScenarios';

/** A catalog and the storms the evaluation replays on it. */
export interface EvaluationTopology {
  name: string;
  source: string;
  catalog: () => CatalogEntitySummary[];
  scenarios: Scenario[];
}

/** A catalog file of `topologies/`, with the relations the catalog would compute. */
export function loadTopologyCatalog(file: string): CatalogEntitySummary[] {
  const text = fs.readFileSync(
    resolvePackagePath(
      '@aiops/plugin-aiops-correlation-backend',
      'src/evaluation/topologies',
      file,
    ),
    'utf8',
  );
  return entitiesFromYaml(text)
    .map(summarizeEntity)
    .sort((a, b) => a.entityRef.localeCompare(b.entityRef));
}

export const TOPOLOGIES: EvaluationTopology[] = [
  {
    name: 'demo (Online Boutique + Payments Platform)',
    source: 'examples/entities.yaml',
    catalog: () => loadDemoCatalog(),
    scenarios: SCENARIOS,
  },
  {
    name: 'DeathStarBench social network',
    source: 'topologies/social-network.yaml',
    catalog: () => loadTopologyCatalog('social-network.yaml'),
    scenarios: SOCIAL_NETWORK_SCENARIOS,
  },
  {
    name: 'DeathStarBench hotel reservation',
    source: 'topologies/hotel-reservation.yaml',
    catalog: () => loadTopologyCatalog('hotel-reservation.yaml'),
    scenarios: HOTEL_RESERVATION_SCENARIOS,
  },
];
