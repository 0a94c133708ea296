import { InfoCard, Progress } from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { alpha, makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import type {
  DeliveryStatus,
  NotificationDelivery,
  Page,
} from '@aiops/plugin-aiops-common';
import { errorMessage } from '../shared';
import { Timestamp } from './Timestamp';

const useStyles = makeStyles(theme => ({
  dead: {
    backgroundColor: alpha(theme.palette.error.main, 0.12),
  },
  deadChip: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  deliveredChip: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  text: {
    wordBreak: 'break-word',
  },
  error: {
    color: theme.palette.error.main,
    wordBreak: 'break-word',
  },
}));

function StatusChip({ status }: { status: DeliveryStatus }) {
  const classes = useStyles();
  if (status === 'dead') {
    return (
      <Chip size="small" label="dead letter" className={classes.deadChip} />
    );
  }
  return (
    <Chip
      size="small"
      label={status}
      className={status === 'delivered' ? classes.deliveredChip : undefined}
    />
  );
}

/** What was sent about the incident, or is still to be sent; dead letters stand out. */
export function NotificationsCard(props: {
  value?: Page<NotificationDelivery>;
  error?: Error;
}) {
  const classes = useStyles();
  const { value, error } = props;

  let content: JSX.Element;
  if (error) {
    content = (
      <Alert severity="warning">
        Could not load the notifications: {errorMessage(error)}
      </Alert>
    );
  } else if (!value) {
    content = <Progress />;
  } else if (value.items.length === 0) {
    content = (
      <Typography variant="body2" color="textSecondary">
        No notifications about this incident: no routing rule matched it, or
        none was due yet.
      </Typography>
    );
  } else {
    const dead = value.items.filter(item => item.status === 'dead').length;
    content = (
      <>
        {dead > 0 && (
          <Alert severity="error">
            {dead === 1
              ? '1 notification could not be delivered.'
              : `${dead} notifications could not be delivered.`}{' '}
            Check the channel's configuration; an administrator can retry dead
            letters.
          </Alert>
        )}
        <Table size="small" aria-label="Notifications">
          <TableHead>
            <TableRow>
              <TableCell>When</TableCell>
              <TableCell>Channel</TableCell>
              <TableCell>Target</TableCell>
              <TableCell>Change</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Attempts</TableCell>
              <TableCell>Last error</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {value.items.map(item => (
              <TableRow
                key={item.id}
                className={item.status === 'dead' ? classes.dead : undefined}
                data-status={item.status}
              >
                <TableCell>
                  <Timestamp at={item.deliveredAt ?? item.createdAt} />
                </TableCell>
                <TableCell>{item.channel}</TableCell>
                <TableCell className={classes.text}>{item.target}</TableCell>
                <TableCell className={classes.text}>
                  {item.kind === 'digest' ? 'digest' : item.change ?? '—'}
                  {item.headline && (
                    <Typography
                      variant="caption"
                      color="textSecondary"
                      component="div"
                    >
                      {item.headline}
                    </Typography>
                  )}
                </TableCell>
                <TableCell>
                  <StatusChip status={item.status} />
                </TableCell>
                <TableCell>{item.attempts}</TableCell>
                <TableCell
                  className={item.lastError ? classes.error : undefined}
                >
                  {item.lastError ?? '—'}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {value.nextCursor && (
          <Typography variant="caption" color="textSecondary">
            Showing the newest {value.items.length}.
          </Typography>
        )}
      </>
    );
  }

  return <InfoCard title="Notifications">{content}</InfoCard>;
}
