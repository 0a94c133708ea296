import { InfoCard } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type {
  IncidentAlertLink,
  IncidentDetails,
} from '@aiops/plugin-aiops-common';
import { SeverityChip } from '../shared';
import { alertAnchor } from './Evidence';
import { Timestamp } from './Timestamp';

const useStyles = makeStyles(theme => ({
  row: {
    // Evidence links jump here; keep the row clear of the app bar.
    scrollMarginTop: theme.spacing(10),
    '&:target': {
      backgroundColor: theme.palette.action.selected,
    },
  },
  top: {
    verticalAlign: 'top',
  },
  id: {
    fontFamily: 'monospace',
    wordBreak: 'break-all',
  },
  nowrap: {
    whiteSpace: 'nowrap',
  },
}));

type Suppression = NonNullable<IncidentAlertLink['suppression']>;

/** The suppressing alert by name when it is listed with its details, else by id. */
function suppressedBy(
  by: Suppression['by'],
  names: ReadonlyMap<string, string>,
): string {
  if ('silenceId' in by) return `silence ${by.silenceId}`;
  return `alert ${names.get(by.alertId) ?? by.alertId}`;
}

function AlertName(props: {
  link: IncidentAlertLink;
  detailsUnavailable: boolean;
}) {
  const classes = useStyles();
  const { link } = props;
  if (link.details) {
    return (
      <>
        <Typography variant="body2" title={link.alertId}>
          {link.details.name}
        </Typography>
        {link.details.title !== link.details.name && (
          <Typography variant="caption" color="textSecondary" component="div">
            {link.details.title}
          </Typography>
        )}
      </>
    );
  }
  return (
    <>
      <Typography variant="body2" className={classes.id}>
        {link.alertId}
      </Typography>
      {!props.detailsUnavailable && (
        <Typography variant="caption" color="textSecondary" component="div">
          no longer kept by ingest
        </Typography>
      )}
    </>
  );
}

function Role(props: {
  link: IncidentAlertLink;
  names: ReadonlyMap<string, string>;
}) {
  const { role, suppression } = props.link;
  return (
    <>
      <Chip
        size="small"
        variant="outlined"
        color={role === 'suppressed' ? 'default' : 'primary'}
        label={role}
      />
      {suppression && (
        <Typography variant="caption" color="textSecondary" component="div">
          {suppression.reason}: by {suppressedBy(suppression.by, props.names)} (
          {suppression.rule})
        </Typography>
      )}
    </>
  );
}

/**
 * The incident's alerts, members and the symptoms kept quiet: what each is, where, how bad,
 * since when, and why it is here. Without details from ingest the rows keep the ids and roles.
 */
export function AlertsCard(props: {
  alerts: IncidentAlertLink[];
  alertDetails?: IncidentDetails['alertDetails'];
}) {
  const classes = useStyles();
  const detailsUnavailable = props.alertDetails === 'unavailable';
  const names = new Map(
    props.alerts.flatMap(link =>
      link.details ? [[link.alertId, link.details.name] as const] : [],
    ),
  );
  return (
    <InfoCard
      title="Alerts"
      subheader={
        detailsUnavailable
          ? 'Alert details are unavailable: aiops-ingest did not answer. Alerts are listed by id.'
          : undefined
      }
    >
      {props.alerts.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No alerts attached.
        </Typography>
      ) : (
        <Table size="small" aria-label="Alerts">
          <TableHead>
            <TableRow>
              <TableCell>Alert</TableCell>
              <TableCell>Entity</TableCell>
              <TableCell>Severity</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Started</TableCell>
              <TableCell>Ended / last seen</TableCell>
              <TableCell>Role</TableCell>
              <TableCell>Joined by</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {props.alerts.map(link => {
              const { details } = link;
              return (
                <TableRow
                  key={link.alertId}
                  id={alertAnchor(link.alertId)}
                  className={classes.row}
                >
                  <TableCell className={classes.top}>
                    <AlertName
                      link={link}
                      detailsUnavailable={detailsUnavailable}
                    />
                  </TableCell>
                  <TableCell className={classes.top}>
                    {details &&
                      (details.entityRef ? (
                        <EntityRefLink entityRef={details.entityRef} />
                      ) : (
                        'unowned'
                      ))}
                  </TableCell>
                  <TableCell className={classes.top}>
                    {details && <SeverityChip severity={details.severity} />}
                  </TableCell>
                  <TableCell className={classes.top}>
                    {details?.status}
                  </TableCell>
                  <TableCell className={`${classes.top} ${classes.nowrap}`}>
                    {details && <Timestamp at={details.startsAt} />}
                  </TableCell>
                  <TableCell className={`${classes.top} ${classes.nowrap}`}>
                    {details &&
                      (details.endsAt ? (
                        <>
                          ended <Timestamp at={details.endsAt} />
                        </>
                      ) : (
                        <>
                          last seen <Timestamp at={details.lastSeenAt} />
                        </>
                      ))}
                  </TableCell>
                  <TableCell className={classes.top}>
                    <Role link={link} names={names} />
                  </TableCell>
                  <TableCell className={classes.top}>
                    {link.joinedBy && (
                      <Typography variant="body2" component="div">
                        {link.joinedBy.rule}
                        <Typography
                          variant="caption"
                          color="textSecondary"
                          component="div"
                        >
                          {link.joinedBy.reason}
                        </Typography>
                      </Typography>
                    )}
                    <Typography
                      variant="caption"
                      color="textSecondary"
                      component="div"
                    >
                      attached <Timestamp at={link.attachedAt} />
                    </Typography>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}
