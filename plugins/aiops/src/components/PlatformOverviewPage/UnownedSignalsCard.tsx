import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { Alert } from '@aiops/plugin-aiops-common';
import { useAiopsData } from '../../hooks/useAiopsData';
import { SeverityChip } from '../shared/Chips';
import { DataCard } from '../shared/DataCard';
import { timeAgo } from '../shared/format';
import { summarizeLabels } from './labels';

function unownedReason(alert: Alert): string {
  return alert.resolution.status === 'unowned'
    ? alert.resolution.reason
    : // The filter asked for unowned ones; an owner found since is news, not an error.
      'owned now';
}

/**
 * Firing alerts ingest could not key to a catalog entity, with the reason, so the platform team
 * can fix the annotation or the label. They reach no team until then.
 */
export function UnownedSignalsCard() {
  const state = useAiopsData(
    api => api.listAlerts({ unowned: true, status: 'firing' }),
    [],
  );
  return (
    <DataCard
      title="Unowned signals"
      subheader="Firing alerts no catalog entity claims; they reach no team"
      state={state}
      isEmpty={page => page.items.length === 0}
      emptyMessage="Every firing alert is keyed to a catalog entity."
    >
      {page => (
        <>
          <Table size="small" aria-label="Unowned signals">
            <TableHead>
              <TableRow>
                <TableCell>Alert</TableCell>
                <TableCell>Severity</TableCell>
                <TableCell>Labels</TableCell>
                <TableCell>Why unowned</TableCell>
                <TableCell>Last seen</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {page.items.map(alert => (
                <TableRow key={alert.id}>
                  <TableCell>{alert.title}</TableCell>
                  <TableCell>
                    <SeverityChip severity={alert.severity} />
                  </TableCell>
                  <TableCell
                    title={Object.entries(alert.labels)
                      .map(([name, value]) => `${name}=${value}`)
                      .join('\n')}
                  >
                    <code>{summarizeLabels(alert.labels)}</code>
                  </TableCell>
                  <TableCell>{unownedReason(alert)}</TableCell>
                  <TableCell>{timeAgo(alert.lastSeenAt)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {page.nextCursor && (
            <Typography variant="caption" color="textSecondary">
              The {page.items.length} most recently changed; there are more.
            </Typography>
          )}
        </>
      )}
    </DataCard>
  );
}
