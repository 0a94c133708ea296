import { useRouteRef } from '@backstage/core-plugin-api';
import { rootRouteRef } from '../routes';

/** The path of an incident's page, under wherever the app mounted the AIOps page. */
export function useIncidentPath(): (incidentId: string) => string {
  const root = useRouteRef(rootRouteRef)();
  return incidentId =>
    `${root.replace(/\/$/, '')}/incidents/${encodeURIComponent(incidentId)}`;
}
