import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { IncidentGroupStats } from '@aiops/plugin-aiops-common';
import { useAiopsData } from '../../hooks/useAiopsData';
import { DataCard, Figure } from '../shared/DataCard';
import { formatDuration } from '../shared/format';

const DAY_MS = 24 * 60 * 60 * 1000;

function GroupStatsTable(props: {
  label: 'Owner' | 'System';
  /** Shown for the incidents without one (`ref: null`). */
  noneLabel: string;
  rows: IncidentGroupStats[];
  days: number;
}) {
  return (
    <Table
      size="small"
      aria-label={`Incidents by ${props.label.toLowerCase()}`}
    >
      <TableHead>
        <TableRow>
          <TableCell>{props.label}</TableCell>
          <TableCell align="right">Open</TableCell>
          <TableCell align="right">Acknowledged</TableCell>
          <TableCell align="right">Opened ({props.days} d)</TableCell>
          <TableCell align="right">MTTA</TableCell>
          <TableCell align="right">MTTR</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.rows.map(row => (
          <TableRow key={row.ref ?? ''}>
            <TableCell>
              {row.ref ? (
                <EntityRefLink entityRef={row.ref} />
              ) : (
                <Typography variant="body2" color="textSecondary">
                  {props.noneLabel}
                </Typography>
              )}
            </TableCell>
            <TableCell align="right">{row.open}</TableCell>
            <TableCell align="right">{row.acknowledged}</TableCell>
            <TableCell align="right">{row.incidents}</TableCell>
            <TableCell align="right">{formatDuration(row.mttaMs)}</TableCell>
            <TableCell align="right">{formatDuration(row.mttrMs)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Open and acknowledged incidents now, and response times, per owning team and per system. */
export function OpenIncidentsByGroupCard() {
  const state = useAiopsData(api => api.getStats(), []);
  const days = state.value
    ? Math.round(
        (Date.parse(state.value.to) - Date.parse(state.value.from)) / DAY_MS,
      )
    : 30;
  return (
    <DataCard
      title="Open incidents by owner and system"
      subheader={`Counts are now; MTTA and MTTR over incidents opened in the last ${days} days`}
      state={state}
      isEmpty={stats =>
        stats.byOwner.length === 0 && stats.bySystem.length === 0
      }
      emptyMessage={`No open incidents, and none opened in the last ${days} days.`}
    >
      {stats => (
        <>
          <Box display="flex" flexWrap="wrap" gridGap={32} mb={2}>
            <Figure label="Open" value={stats.totals.open} />
            <Figure label="Acknowledged" value={stats.totals.acknowledged} />
            <Figure
              label={`Opened (last ${days} days)`}
              value={stats.totals.incidents}
            />
            <Figure label="MTTA" value={formatDuration(stats.totals.mttaMs)} />
            <Figure label="MTTR" value={formatDuration(stats.totals.mttrMs)} />
          </Box>
          <Grid container spacing={2}>
            <Grid item xs={12} lg={6}>
              <GroupStatsTable
                label="Owner"
                noneLabel="no owner"
                days={days}
                rows={stats.byOwner}
              />
            </Grid>
            <Grid item xs={12} lg={6}>
              <GroupStatsTable
                label="System"
                noneLabel="no system"
                days={days}
                rows={stats.bySystem}
              />
            </Grid>
          </Grid>
        </>
      )}
    </DataCard>
  );
}
