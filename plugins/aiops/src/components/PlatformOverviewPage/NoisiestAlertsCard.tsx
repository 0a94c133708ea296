import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { useAiopsData } from '../../hooks/useAiopsData';
import { DataCard } from '../shared/DataCard';
import { timeAgo } from '../shared/format';
import { rankNoisiestAlerts } from './noisiestAlerts';

/** How many of the most recently changed alerts the ranking reads. */
const SAMPLE_SIZE = 500;
const TOP = 10;

/** The alerts senders deliver most often: candidates for tuning thresholds or inhibition. */
export function NoisiestAlertsCard() {
  const state = useAiopsData(async api => {
    const page = await api.listAlerts({ limit: SAMPLE_SIZE });
    return rankNoisiestAlerts(page.items, TOP);
  }, []);
  return (
    <DataCard
      title="Noisiest alerts"
      subheader={`By deliveries, among the ${SAMPLE_SIZE} most recently changed alerts, per alert name and entity`}
      state={state}
      isEmpty={groups => groups.length === 0}
      emptyMessage="No alerts received yet."
    >
      {groups => (
        <Table size="small" aria-label="Noisiest alerts">
          <TableHead>
            <TableRow>
              <TableCell>Alert</TableCell>
              <TableCell>Entity</TableCell>
              <TableCell align="right">Deliveries</TableCell>
              <TableCell align="right">Alerts</TableCell>
              <TableCell align="right">Firing</TableCell>
              <TableCell>Last seen</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {groups.map(group => (
              <TableRow key={`${group.title}\u0000${group.entityRef ?? ''}`}>
                <TableCell>{group.title}</TableCell>
                <TableCell>
                  {group.entityRef ? (
                    <EntityRefLink entityRef={group.entityRef} />
                  ) : (
                    <Typography variant="body2" color="textSecondary">
                      unowned
                    </Typography>
                  )}
                </TableCell>
                <TableCell align="right">{group.deliveries}</TableCell>
                <TableCell align="right">{group.alerts}</TableCell>
                <TableCell align="right">{group.firing}</TableCell>
                <TableCell>{timeAgo(group.lastSeenAt)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </DataCard>
  );
}
