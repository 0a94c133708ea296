import type { ReactNode } from 'react';
import { Link } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { Incident } from '@aiops/plugin-aiops-common';
import { useIncidentPath } from '../../hooks/useIncidentPath';
import { IncidentStatusChip, SeverityChip } from '../shared';
import { IncidentActions } from './IncidentActions';
import { ResolutionSummary } from './ResolutionSummary';
import { Timestamp } from './Timestamp';

const useStyles = makeStyles(theme => ({
  root: {
    padding: theme.spacing(3),
  },
  title: {
    wordBreak: 'break-word',
  },
  chips: {
    display: 'flex',
    gap: theme.spacing(1),
    margin: theme.spacing(1, 0, 2),
  },
  facts: {
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: theme.spacing(4),
    rowGap: theme.spacing(1),
    margin: theme.spacing(0, 0, 2),
  },
  label: {
    color: theme.palette.text.secondary,
    fontSize: theme.typography.caption.fontSize,
    textTransform: 'uppercase',
    fontWeight: theme.typography.fontWeightBold as number,
  },
  value: {
    margin: 0,
  },
}));

function Fact(props: { label: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <div>
      <dt className={classes.label}>{props.label}</dt>
      <Typography component="dd" variant="body2" className={classes.value}>
        {props.children}
      </Typography>
    </div>
  );
}

/** Title, severity, status, who owns it, when it changed, and what one can do about it. */
export function IncidentHeader(props: {
  incident: Incident;
  onChanged: () => void;
}) {
  const { incident } = props;
  const classes = useStyles();
  const incidentPath = useIncidentPath();
  return (
    <Paper className={classes.root}>
      <Typography variant="h4" component="h1" className={classes.title}>
        {incident.title}
      </Typography>
      <div className={classes.chips}>
        <SeverityChip severity={incident.severity} />
        <IncidentStatusChip status={incident.status} />
      </div>
      <dl className={classes.facts}>
        <Fact label="Owner">
          {incident.owner ? (
            <EntityRefLink entityRef={incident.owner} />
          ) : (
            'unowned'
          )}
        </Fact>
        {incident.primaryEntityRef && (
          <Fact label="Primary entity">
            <EntityRefLink entityRef={incident.primaryEntityRef} />
          </Fact>
        )}
        {incident.system && (
          <Fact label="System">
            <EntityRefLink entityRef={incident.system} />
          </Fact>
        )}
        <Fact label="Opened">
          <Timestamp at={incident.openedAt} />
        </Fact>
        {incident.acknowledgedAt && (
          <Fact label="Acknowledged">
            <Timestamp at={incident.acknowledgedAt} />
          </Fact>
        )}
        {incident.resolvedAt && (
          <Fact label="Resolved">
            <Timestamp at={incident.resolvedAt} />
          </Fact>
        )}
        {incident.mergedInto && (
          <Fact label="Merged into">
            <Link to={incidentPath(incident.mergedInto)}>
              {incident.mergedInto}
            </Link>
          </Fact>
        )}
      </dl>
      {incident.resolution && (
        <ResolutionSummary resolution={incident.resolution} />
      )}
      <Box>
        <IncidentActions incident={incident} onChanged={props.onChanged} />
      </Box>
    </Paper>
  );
}
