import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import MuiAlert from '@material-ui/lab/Alert';
import { InfoCard, Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  DeliveryStatus,
  NotificationDelivery,
} from '@aiops/plugin-aiops-common';
import { aiopsApiRef } from '../../api/AiopsApi';
import { useAiopsData } from '../../hooks/useAiopsData';
import { useIncidentPath } from '../../hooks/useIncidentPath';
import { Figure, LoadContent } from '../shared/DataCard';
import { errorMessage, timeAgo } from '../shared/format';

const STATUSES: DeliveryStatus[] = [
  'pending',
  'delivered',
  'held',
  'digested',
  'cancelled',
  'dead',
];

function isForbidden(error: Error | undefined): boolean {
  return (error as { statusCode?: number } | undefined)?.statusCode === 403;
}

function DeadLetterTable(props: {
  deliveries: NotificationDelivery[];
  retrying?: string;
  onRetry: (id: string) => void;
}) {
  const incidentPath = useIncidentPath();
  return (
    <Table size="small" aria-label="Dead letters">
      <TableHead>
        <TableRow>
          <TableCell>Incident</TableCell>
          <TableCell>Team</TableCell>
          <TableCell>Channel</TableCell>
          <TableCell>Target</TableCell>
          <TableCell>Last error</TableCell>
          <TableCell align="right">Attempts</TableCell>
          <TableCell />
        </TableRow>
      </TableHead>
      <TableBody>
        {props.deliveries.map(delivery => (
          <TableRow key={delivery.id}>
            <TableCell>
              {delivery.incidentId ? (
                <Link to={incidentPath(delivery.incidentId)}>
                  {delivery.headline ?? delivery.incidentId}
                </Link>
              ) : (
                delivery.headline ?? `${delivery.kind} ${delivery.id}`
              )}
            </TableCell>
            <TableCell>
              <EntityRefLink entityRef={delivery.group} />
            </TableCell>
            <TableCell>{delivery.channel}</TableCell>
            <TableCell>{delivery.target}</TableCell>
            <TableCell>{delivery.lastError ?? '—'}</TableCell>
            <TableCell align="right">{delivery.attempts}</TableCell>
            <TableCell>
              <Button
                size="small"
                variant="outlined"
                disabled={props.retrying !== undefined}
                onClick={() => props.onRetry(delivery.id)}
                aria-label={`Retry delivery ${delivery.id}`}
              >
                Retry
              </Button>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * The notification outbox for administrators: deliveries by status, routing problems the
 * instance found, and dead letters to send again. Everyone else gets a 403 from these endpoints.
 */
export function NotificationDeliveryCard() {
  const api = useApi(aiopsApiRef);
  const incidentPath = useIncidentPath();
  const status = useAiopsData(a => a.getNotificationStatus(), []);
  const dead = useAiopsData(a => a.listNotifications({ status: 'dead' }), []);
  const [retrying, setRetrying] = useState<string>();
  const [retryError, setRetryError] = useState<string>();

  const retryDelivery = async (id: string) => {
    setRetrying(id);
    setRetryError(undefined);
    try {
      await api.retryNotification(id);
      dead.retry();
      status.retry();
    } catch (error) {
      setRetryError(errorMessage(error));
    } finally {
      setRetrying(undefined);
    }
  };

  const title = 'Notification delivery';
  if (isForbidden(status.error) || isForbidden(dead.error)) {
    return (
      <InfoCard title={title}>
        <Typography variant="body2" color="textSecondary">
          Only AIOps administrators see notification delivery.
        </Typography>
      </InfoCard>
    );
  }
  return (
    <InfoCard
      title={title}
      subheader="The outbox by status, routing problems and dead letters"
    >
      <LoadContent state={status}>
        {value => (
          <>
            <Box display="flex" flexWrap="wrap" gridGap={32} mb={2}>
              {STATUSES.map(s => (
                <Figure key={s} label={s} value={value.counts[s] ?? 0} />
              ))}
            </Box>
            <Typography variant="subtitle2" gutterBottom>
              Routing problems
            </Typography>
            {value.problems.length === 0 ? (
              <Typography variant="body2" color="textSecondary">
                No routing problems seen since this instance started.
              </Typography>
            ) : (
              <Table size="small" aria-label="Routing problems">
                <TableHead>
                  <TableRow>
                    <TableCell>Problem</TableCell>
                    <TableCell align="right">Count</TableCell>
                    <TableCell>Last seen</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {value.problems.map(problem => (
                    <TableRow key={problem.key}>
                      <TableCell>
                        {problem.message}
                        {problem.incidentId && (
                          <>
                            {' '}
                            (
                            <Link to={incidentPath(problem.incidentId)}>
                              incident
                            </Link>
                            )
                          </>
                        )}
                      </TableCell>
                      <TableCell align="right">{problem.count}</TableCell>
                      <TableCell>{timeAgo(problem.lastSeen)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </>
        )}
      </LoadContent>
      <Box mt={3}>
        <Typography variant="subtitle2" gutterBottom>
          Dead letters
        </Typography>
        {retryError && (
          <Box mb={1}>
            <MuiAlert severity="error">{retryError}</MuiAlert>
          </Box>
        )}
        <LoadContent
          state={dead}
          isEmpty={page => page.items.length === 0}
          emptyMessage="No dead letters: every message was delivered or is still on its way."
        >
          {page => (
            <DeadLetterTable
              deliveries={page.items}
              retrying={retrying}
              onRetry={retryDelivery}
            />
          )}
        </LoadContent>
      </Box>
    </InfoCard>
  );
}
