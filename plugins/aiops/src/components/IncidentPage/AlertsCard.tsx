import { InfoCard } from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { IncidentAlertLink } from '@aiops/plugin-aiops-common';
import { alertAnchor } from './Evidence';
import { Timestamp } from './Timestamp';

const useStyles = makeStyles(theme => ({
  item: {
    display: 'block',
    // Evidence links jump here; keep the row clear of the app bar.
    scrollMarginTop: theme.spacing(10),
    '&:target': {
      backgroundColor: theme.palette.action.selected,
    },
  },
  heading: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  id: {
    fontFamily: 'monospace',
    wordBreak: 'break-all',
  },
}));

function suppressedBy(
  by: NonNullable<IncidentAlertLink['suppression']>['by'],
): string {
  return 'silenceId' in by ? `silence ${by.silenceId}` : `alert ${by.alertId}`;
}

/** The incident's alerts: members and the symptoms kept quiet, with why each joined. */
export function AlertsCard(props: { alerts: IncidentAlertLink[] }) {
  const classes = useStyles();
  return (
    <InfoCard title="Alerts" variant="gridItem">
      {props.alerts.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No alerts attached.
        </Typography>
      ) : (
        <List disablePadding>
          {props.alerts.map(alert => (
            <ListItem
              key={alert.alertId}
              id={alertAnchor(alert.alertId)}
              disableGutters
              divider
              className={classes.item}
            >
              <div className={classes.heading}>
                <Typography variant="body2" className={classes.id}>
                  {alert.alertId}
                </Typography>
                <Chip
                  size="small"
                  variant="outlined"
                  color={alert.role === 'suppressed' ? 'default' : 'primary'}
                  label={alert.role}
                />
              </div>
              {alert.joinedBy && (
                <Typography
                  variant="caption"
                  color="textSecondary"
                  component="div"
                >
                  joined by {alert.joinedBy.rule}: {alert.joinedBy.reason}
                </Typography>
              )}
              {alert.suppression && (
                <Typography
                  variant="caption"
                  color="textSecondary"
                  component="div"
                >
                  suppressed ({alert.suppression.reason}) by{' '}
                  {suppressedBy(alert.suppression.by)}, {alert.suppression.rule}
                </Typography>
              )}
              <Typography
                variant="caption"
                color="textSecondary"
                component="div"
              >
                attached <Timestamp at={alert.attachedAt} />
              </Typography>
            </ListItem>
          ))}
        </List>
      )}
    </InfoCard>
  );
}
