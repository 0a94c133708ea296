import { useState } from 'react';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { humanizeEntityRef, useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import {
  SEVERITIES,
  type IncidentStatus,
  type Severity,
} from '@aiops/plugin-aiops-common';
import { useAiopsData } from '../../hooks/useAiopsData';
import { IncidentTable, errorMessage } from '../shared';

const STATUSES: IncidentStatus[] = ['open', 'acknowledged', 'resolved'];

/** What the tab shows first: what still needs someone. */
const DEFAULT_STATUSES: IncidentStatus[] = ['open', 'acknowledged'];

/** One page is plenty for a tab; filters narrow it down. */
const LIMIT = 100;

const useStyles = makeStyles(theme => ({
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
  },
  filterLabel: {
    marginRight: theme.spacing(1),
  },
  hint: {
    marginLeft: theme.spacing(1),
  },
}));

export interface EntityIncidentsContentProps {
  /** Statuses selected when the tab opens; open and acknowledged unless given. */
  defaultStatuses?: IncidentStatus[];
}

/** The entity page's Incidents tab: the entity's incidents, filtered by status and severity. */
export function EntityIncidentsContent(props: EntityIncidentsContentProps) {
  const classes = useStyles();
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const [statuses, setStatuses] = useState<IncidentStatus[]>(
    props.defaultStatuses ?? DEFAULT_STATUSES,
  );
  // None selected means any severity.
  const [severities, setSeverities] = useState<Severity[]>([]);

  const { value, loading, error } = useAiopsData(
    api =>
      api.listIncidents({
        entityRef,
        status: statuses,
        severity: severities.length ? severities : undefined,
        limit: LIMIT,
      }),
    [entityRef, statuses.join(','), severities.join(',')],
  );

  const name = humanizeEntityRef(entity, { defaultKind: entity.kind });
  const onlyUnresolved = !statuses.includes('resolved');

  let body: JSX.Element;
  if (error) {
    body = (
      <ResponseErrorPanel
        title={`Could not load incidents: ${errorMessage(error)}`}
        error={error}
      />
    );
  } else if (!value) {
    body = <Progress />;
  } else {
    body = (
      <>
        <IncidentTable
          title={`Incidents of ${name}`}
          incidents={value.items}
          isLoading={loading}
          emptyContent={
            <Box p={3}>
              <Typography variant="body1" gutterBottom>
                No incidents for {name}
                {severities.length || onlyUnresolved
                  ? ' with these filters.'
                  : '.'}
              </Typography>
              <Typography variant="body2" color="textSecondary">
                {onlyUnresolved
                  ? 'Select "resolved" to see past incidents. '
                  : ''}
                Incidents open when alerts keyed to this service fire; the AIOps
                health card on the overview tab shows whether it sends any.
              </Typography>
            </Box>
          }
        />
        {value.nextCursor && (
          <Typography variant="caption" color="textSecondary">
            Showing the newest {value.items.length} incidents; narrow the
            filters to see others.
          </Typography>
        )}
      </>
    );
  }

  return (
    <Grid container spacing={2}>
      <Grid item xs={12} className={classes.filters}>
        <div>
          <Typography
            variant="overline"
            component="span"
            className={classes.filterLabel}
          >
            Status
          </Typography>
          <ToggleButtonGroup
            size="small"
            aria-label="Status"
            value={statuses}
            onChange={(_event, next: IncidentStatus[]) => {
              // An empty status filter would silently mean "all": keep at least one.
              if (next.length) {
                setStatuses(STATUSES.filter(s => next.includes(s)));
              }
            }}
          >
            {STATUSES.map(status => (
              <ToggleButton key={status} value={status}>
                {status}
              </ToggleButton>
            ))}
          </ToggleButtonGroup>
        </div>
        <div>
          <Typography
            variant="overline"
            component="span"
            className={classes.filterLabel}
          >
            Severity
          </Typography>
          <ToggleButtonGroup
            size="small"
            aria-label="Severity"
            value={severities}
            onChange={(_event, next: Severity[]) =>
              setSeverities(SEVERITIES.filter(s => next.includes(s)))
            }
          >
            {SEVERITIES.map(severity => (
              <ToggleButton key={severity} value={severity}>
                {severity}
              </ToggleButton>
            ))}
          </ToggleButtonGroup>
          {severities.length === 0 && (
            <Typography
              variant="caption"
              color="textSecondary"
              component="span"
              className={classes.hint}
            >
              all severities
            </Typography>
          )}
        </div>
      </Grid>
      <Grid item xs={12}>
        {body}
      </Grid>
    </Grid>
  );
}
