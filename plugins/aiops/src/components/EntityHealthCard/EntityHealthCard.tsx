import type { ReactNode } from 'react';
import {
  InfoCard,
  type InfoCardVariants,
  Link,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity, useEntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  type AiopsDeployRiskApi,
  severityRank,
  type EntityHealth,
  type EntityHealthStatus,
  type Incident,
} from '@aiops/plugin-aiops-common';
import { useAiopsData } from '../../hooks/useAiopsData';
import { useIncidentPath } from '../../hooks/useIncidentPath';
import {
  matchAssessment,
  riskText,
} from '../EntityDeploymentsContent/deployTimeline';
import { SeverityChip, errorMessage, formatDuration, timeAgo } from '../shared';

/** The annotation that names a service the way its telemetry does (docs/configuration.md). */
const SERVICE_NAME_ANNOTATION = 'aiops/service-name';

/** Assessments read to find the last deploy's: it is among the newest. */
const ASSESSMENTS_READ = 20;

/** How many open incidents the card names; the Incidents tab has the rest. */
const LISTED_INCIDENTS = 3;

const useStyles = makeStyles(theme => ({
  label: {
    color: theme.palette.text.secondary,
    fontSize: theme.typography.caption.fontSize,
    textTransform: 'uppercase',
    fontWeight: theme.typography.fontWeightBold as number,
  },
  incident: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginTop: theme.spacing(0.5),
  },
  code: {
    fontFamily: 'monospace',
  },
}));

export interface EntityHealthCardProps {
  variant?: InfoCardVariants;
  /**
   * Path of the entity page's Incidents tab, relative to the entity page; `incidents` is where
   * the plugin's entity content mounts in the new frontend system.
   */
  incidentsTabPath?: string;
}

/** Health at a glance for a Component's overview tab: status, incidents, alerts, MTTA/MTTR, deploys. */
export function EntityHealthCard(props: EntityHealthCardProps) {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const entityLink = useEntityRefLink();
  const { value, loading, error } = useAiopsData(
    api => api.getEntityHealth(entityRef),
    [entityRef],
  );
  // Optional: without the regression detector (or when it fails) the card is correlation's alone.
  const regressions = useAiopsData(
    api => api.listRegressions({ entityRef, status: ['active'] }),
    [entityRef],
  );
  const activeRegressions = regressions.value?.items.length ?? 0;
  // Optional too: the last deploy's risk when deploy risk assessed it.
  const assessments = useAiopsData(
    api => api.listAssessments({ entityRef, limit: ASSESSMENTS_READ }),
    [entityRef],
  );

  const tabPath = (props.incidentsTabPath ?? 'incidents').replace(/^\/+/, '');
  const deepLink = {
    title: 'View incidents',
    link: `${entityLink(entityRef).replace(/\/$/, '')}/${tabPath}`,
  };

  let content: ReactNode;
  if (error) {
    content = (
      <ResponseErrorPanel
        title={`Could not load AIOps health: ${errorMessage(error)}`}
        error={error}
      />
    );
  } else if (!value) {
    content = loading ? <Progress /> : null;
  } else if (hasNoSignals(value) && activeRegressions === 0) {
    content = <NoSignals entity={entity} />;
  } else {
    content = (
      <HealthSummary
        health={value}
        activeRegressions={activeRegressions}
        lastDeployRisk={
          value.lastDeployment &&
          matchAssessment(value.lastDeployment, assessments.value?.items ?? [])
        }
      />
    );
  }

  return (
    <InfoCard
      title="AIOps health"
      variant={props.variant}
      deepLink={
        value && (!hasNoSignals(value) || activeRegressions)
          ? deepLink
          : undefined
      }
    >
      {content}
    </InfoCard>
  );
}

/** Nothing keyed to the entity ever: saying "healthy" would claim more than we know. */
function hasNoSignals(health: EntityHealth): boolean {
  return (
    health.status === 'healthy' &&
    health.openIncidents.length === 0 &&
    health.firingAlerts.length === 0 &&
    health.suppressedAlerts.length === 0 &&
    !health.lastDeployment &&
    health.window.incidents === 0
  );
}

function HealthStatus({ status }: { status: EntityHealthStatus }) {
  switch (status) {
    case 'outage':
      return <StatusError>Outage</StatusError>;
    case 'degraded':
      return <StatusWarning>Degraded</StatusWarning>;
    default:
      return <StatusOK>Healthy</StatusOK>;
  }
}

function Field(props: { label: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <Grid item xs={12} sm={6}>
      <Typography component="div" className={classes.label}>
        {props.label}
      </Typography>
      <Typography component="div" variant="body2">
        {props.children}
      </Typography>
    </Grid>
  );
}

function byUrgency(a: Incident, b: Incident): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    Date.parse(b.openedAt) - Date.parse(a.openedAt)
  );
}

/**
 * Correlation's status, raised to degraded while a metric regression is active: a service
 * whose latency doubled is not healthy though nothing alerted.
 */
export function effectiveStatus(
  status: EntityHealthStatus,
  activeRegressions: number,
): EntityHealthStatus {
  return status === 'healthy' && activeRegressions > 0 ? 'degraded' : status;
}

function HealthSummary({
  health,
  activeRegressions,
  lastDeployRisk,
}: {
  health: EntityHealth;
  activeRegressions: number;
  lastDeployRisk?: AiopsDeployRiskApi.Assessment;
}) {
  const classes = useStyles();
  const incidentPath = useIncidentPath();
  const incidents = [...health.openIncidents].sort(byUrgency);
  const listed = incidents.slice(0, LISTED_INCIDENTS);
  const deployment = health.lastDeployment;
  const responseTimes = health.window;

  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <Typography variant="h6" component="div">
          <HealthStatus
            status={effectiveStatus(health.status, activeRegressions)}
          />
        </Typography>
      </Grid>
      <Grid item xs={12}>
        <Typography component="div" className={classes.label}>
          Open incidents
        </Typography>
        <Typography variant="body2" component="div">
          {incidents.length === 0 ? 'None' : incidents.length}
        </Typography>
        {listed.map(incident => (
          <div key={incident.id} className={classes.incident}>
            <SeverityChip severity={incident.severity} />
            <Link to={incidentPath(incident.id)}>{incident.title}</Link>
          </div>
        ))}
        {incidents.length > listed.length && (
          <Typography variant="caption" color="textSecondary">
            and {incidents.length - listed.length} more
          </Typography>
        )}
      </Grid>
      {activeRegressions > 0 && (
        <Field label="Regressions">{activeRegressions} active</Field>
      )}
      <Field label="Firing alerts">
        {health.firingAlerts.length}
        {health.suppressedAlerts.length > 0 &&
          ` (${health.suppressedAlerts.length} suppressed)`}
      </Field>
      <Field label="Last deploy">
        {deployment ? (
          <>
            <span className={classes.code}>{deployment.version}</span>{' '}
            {deployment.status.replace('_', ' ')}
            {deployment.environment && ` to ${deployment.environment}`},{' '}
            {timeAgo(deployment.finishedAt ?? deployment.startedAt)}
            {lastDeployRisk && (
              <div>
                Risk {riskText(lastDeployRisk)}
                {lastDeployRisk.outcome && `, ${lastDeployRisk.outcome}`}
              </div>
            )}
          </>
        ) : (
          'None recorded'
        )}
      </Field>
      <Field label="MTTA (30 days)">
        {formatDuration(responseTimes.mttaMs)}
      </Field>
      <Field label="MTTR (30 days)">
        {formatDuration(responseTimes.mttrMs)}
      </Field>
    </Grid>
  );
}

/** How to connect a service that sent nothing yet, in the terms of the ingest docs. */
function NoSignals({ entity }: { entity: Entity }) {
  const classes = useStyles();
  const serviceName = entity.metadata.annotations?.[SERVICE_NAME_ANNOTATION];
  return (
    <Box>
      <Typography variant="body1" gutterBottom>
        No signals for this service yet: no incidents, alerts or deployments.
      </Typography>
      {serviceName ? (
        <Typography variant="body2" gutterBottom>
          Alerts and deployments labelled{' '}
          <span className={classes.code}>service: {serviceName}</span> (from its{' '}
          <span className={classes.code}>{SERVICE_NAME_ANNOTATION}</span>{' '}
          annotation) will show here.
        </Typography>
      ) : (
        <Typography variant="body2" gutterBottom>
          Send alerts labelled{' '}
          <span className={classes.code}>service: {entity.metadata.name}</span>,
          or annotate the entity with{' '}
          <span className={classes.code}>
            {SERVICE_NAME_ANNOTATION}: &lt;runtime name&gt;
          </span>{' '}
          if your telemetry names it differently.
        </Typography>
      )}
      <Typography variant="body2" color="textSecondary">
        See the AIOps suite&apos;s docs/ingest for connecting Alertmanager,
        Grafana and deploy pipelines.
      </Typography>
    </Box>
  );
}
