import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import type { EntityRef, Incident, Page } from '@aiops/plugin-aiops-common';
import { useAiopsData } from '../../hooks/useAiopsData';
import { Figure, LoadContent, type LoadState } from '../shared/DataCard';
import { formatDuration } from '../shared/format';
import { IncidentTable } from '../shared/IncidentTable';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How many of the team's incidents of the last 30 days the card reads. */
const RECENT_LIMIT = 500;
const TOP_SERVICES = 5;

export interface ServiceIncidentCount {
  /** Absent for incidents without a primary entity. */
  entityRef?: EntityRef;
  incidents: number;
}

/** The primary entities of the incidents, by how many incidents each had, most first. */
export function rankServicesByIncidents(
  incidents: Incident[],
): ServiceIncidentCount[] {
  const counts = new Map<string, number>();
  for (const incident of incidents) {
    const key = incident.primaryEntityRef ?? '';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([key, count]) => ({ entityRef: key || undefined, incidents: count }))
    .sort(
      (a, b) =>
        b.incidents - a.incidents ||
        (a.entityRef ?? '').localeCompare(b.entityRef ?? ''),
    );
}

function teamName(entity: Entity): string {
  const profile = (entity.spec?.profile ?? {}) as { displayName?: string };
  return profile.displayName ?? entity.metadata.title ?? entity.metadata.name;
}

function OnCallLoad(props: {
  groupRef: EntityRef;
  recent: LoadState<Page<Incident>>;
}) {
  const stats = useAiopsData(api => api.getStats(), []);
  const weekAgo = Date.now() - 7 * DAY_MS;
  return (
    <Box display="flex" flexWrap="wrap" gridGap={32}>
      <LoadContent state={stats}>
        {value => {
          const mine = value.byOwner.find(
            row => row.ref?.toLowerCase() === props.groupRef.toLowerCase(),
          );
          return (
            <>
              <Figure label="Open" value={mine?.open ?? 0} />
              <Figure label="Acknowledged" value={mine?.acknowledged ?? 0} />
              <Figure
                label="MTTA (30 days)"
                value={formatDuration(mine?.mttaMs)}
              />
              <Figure
                label="MTTR (30 days)"
                value={formatDuration(mine?.mttrMs)}
              />
            </>
          );
        }}
      </LoadContent>
      <LoadContent state={props.recent}>
        {page => {
          const opened = page.items.filter(
            incident => Date.parse(incident.openedAt) >= weekAgo,
          ).length;
          // Newest first: only when every incident read is from this week can there be more.
          const more = page.nextCursor && opened === page.items.length;
          return (
            <Figure
              label="Opened in the last 7 days"
              value={more ? `${opened}+` : opened}
            />
          );
        }}
      </LoadContent>
    </Box>
  );
}

function NoisiestServices(props: { incidents: Incident[] }) {
  const ranked = rankServicesByIncidents(props.incidents).slice(
    0,
    TOP_SERVICES,
  );
  return (
    <Table size="small" aria-label="Noisiest services">
      <TableHead>
        <TableRow>
          <TableCell>Service</TableCell>
          <TableCell align="right">Incidents (30 days)</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {ranked.map(row => (
          <TableRow key={row.entityRef ?? ''}>
            <TableCell>
              {row.entityRef ? (
                <EntityRefLink entityRef={row.entityRef} />
              ) : (
                <Typography variant="body2" color="textSecondary">
                  no primary entity
                </Typography>
              )}
            </TableCell>
            <TableCell align="right">{row.incidents}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * For a Group's page: the team's open incidents, its on-call load and the services that page it
 * most. Incidents belong to a team through the owner (`spec.owner`) of their primary entity.
 */
export function GroupIncidentsCard() {
  const { entity } = useEntity();
  const groupRef = stringifyEntityRef(entity);
  const name = teamName(entity);
  const open = useAiopsData(
    api =>
      api.listIncidents({ owner: groupRef, status: ['open', 'acknowledged'] }),
    [groupRef],
  );
  // Every incident unresolved at some point of the last 30 days, newest first.
  const recent = useAiopsData(
    api =>
      api.listIncidents({
        owner: groupRef,
        from: new Date(Date.now() - 30 * DAY_MS).toISOString(),
        limit: RECENT_LIMIT,
      }),
    [groupRef],
  );

  const nothing =
    open.value?.items.length === 0 && recent.value?.items.length === 0;
  if (nothing) {
    return (
      <InfoCard title="Incidents">
        <Typography variant="body1" gutterBottom>
          No incidents for {name} in the last 30 days.
        </Typography>
        <Typography variant="body2" color="textSecondary">
          Incidents reach a team through the entities it owns: set{' '}
          <code>spec.owner</code> of a Component or Resource to{' '}
          <code>{groupRef}</code>, and make its alerts key to it (e.g. with the{' '}
          <code>aiops/service-name</code> annotation when its runtime name
          differs from <code>metadata.name</code>).
        </Typography>
      </InfoCard>
    );
  }

  return (
    <InfoCard title="Incidents" subheader={`On-call load of ${name}`}>
      <OnCallLoad groupRef={groupRef} recent={recent} />
      <Box mt={3}>
        <LoadContent state={open}>
          {page => (
            <IncidentTable
              title="Open incidents"
              incidents={page.items}
              hideOwner
              emptyContent={
                <Box p={2}>
                  <Typography variant="body2" color="textSecondary">
                    No open incidents.
                  </Typography>
                </Box>
              }
            />
          )}
        </LoadContent>
      </Box>
      <Box mt={3}>
        <Typography variant="subtitle2" gutterBottom>
          Noisiest services
        </Typography>
        <LoadContent
          state={recent}
          isEmpty={page => page.items.length === 0}
          emptyMessage="No incidents in the last 30 days."
        >
          {page => <NoisiestServices incidents={page.items} />}
        </LoadContent>
      </Box>
    </InfoCard>
  );
}
