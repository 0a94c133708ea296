import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { AiopsDeployRiskApi } from '@aiops/plugin-aiops-common';
import { useAiopsData } from '../../hooks/useAiopsData';
import { useIncidentPath } from '../../hooks/useIncidentPath';
import {
  IncidentStatusChip,
  SeverityChip,
  errorMessage,
  optionalBackendProblem,
  timeAgo,
} from '../shared';
import { deployTimeline, riskText, topFactors } from './deployTimeline';

/** One page of each: the tab is about recent change. */
const LIMIT = 100;

/** Says deploy risk is absent or failed, in one quiet line. */
export function deployRiskProblem(error: Error): string {
  return optionalBackendProblem(
    error,
    'Deploy risk (aiops-deploy-risk)',
    'load deploy risk assessments',
  );
}

const useStyles = makeStyles(theme => ({
  code: { fontFamily: 'monospace' },
  incidentRow: { background: theme.palette.background.default },
  notes: { marginBottom: theme.spacing(1) },
}));

/**
 * The entity page's Deployments tab: every deploy ingest recorded, each with its deploy-risk
 * assessment and outcome when deploy risk is installed, on one timeline with the entity's
 * incidents. Deploy risk and correlation are read quietly: if either fails the deploys still show.
 */
export function EntityDeploymentsContent() {
  const classes = useStyles();
  const incidentPath = useIncidentPath();
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const deployments = useAiopsData(
    api => api.listDeployments({ entityRef, limit: LIMIT }),
    [entityRef],
  );
  const assessments = useAiopsData(
    api => api.listAssessments({ entityRef, limit: LIMIT }),
    [entityRef],
  );
  const incidents = useAiopsData(
    api => api.listIncidents({ entityRef, limit: LIMIT }),
    [entityRef],
  );

  let body: JSX.Element;
  if (deployments.value) {
    const entries = deployTimeline(
      deployments.value.items,
      assessments.value?.items ?? [],
      incidents.value?.items ?? [],
    );
    body = entries.some(e => e.kind === 'deploy') ? (
      <Table size="small" aria-label="Deployments and incidents">
        <TableHead>
          <TableRow>
            <TableCell>When</TableCell>
            <TableCell>What</TableCell>
            <TableCell>Risk</TableCell>
            <TableCell>Outcome</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {entries.map(entry =>
            entry.kind === 'deploy' ? (
              <TableRow key={`d-${entry.deployment.id}`}>
                <TableCell>{timeAgo(entry.at)}</TableCell>
                <TableCell>
                  Deploy{' '}
                  <span className={classes.code}>
                    {entry.deployment.version}
                  </span>{' '}
                  to {entry.deployment.environment} ({entry.deployment.source}),{' '}
                  {entry.deployment.status.replace('_', ' ')}
                </TableCell>
                <TableCell>
                  {entry.assessment ? (
                    <Risk assessment={entry.assessment} />
                  ) : (
                    '—'
                  )}
                </TableCell>
                <TableCell>
                  {entry.assessment?.outcome ? (
                    <span title={entry.assessment.outcomeReason}>
                      {entry.assessment.outcome}
                    </span>
                  ) : (
                    '—'
                  )}
                </TableCell>
              </TableRow>
            ) : (
              <TableRow
                key={`i-${entry.incident.id}`}
                className={classes.incidentRow}
              >
                <TableCell>{timeAgo(entry.at)}</TableCell>
                <TableCell>
                  <SeverityChip severity={entry.incident.severity} />{' '}
                  <Link to={incidentPath(entry.incident.id)}>
                    {entry.incident.title}
                  </Link>
                </TableCell>
                <TableCell />
                <TableCell>
                  <IncidentStatusChip status={entry.incident.status} />
                </TableCell>
              </TableRow>
            ),
          )}
        </TableBody>
      </Table>
    ) : (
      <Typography variant="body2" color="textSecondary">
        No deployments recorded for this service. Deploy pipelines report them
        to aiops-ingest (docs/ingest/deployments.md).
      </Typography>
    );
  } else if (deployments.error) {
    body = (
      <ResponseErrorPanel
        title={`Could not load deployments: ${errorMessage(deployments.error)}`}
        error={deployments.error}
      />
    );
  } else {
    body = <Progress />;
  }

  return (
    <InfoCard title="Deployments">
      {assessments.error && (
        <Typography
          variant="body2"
          color="textSecondary"
          className={classes.notes}
        >
          {deployRiskProblem(assessments.error)}
        </Typography>
      )}
      {incidents.error && (
        <Typography
          variant="body2"
          color="textSecondary"
          className={classes.notes}
        >
          Incidents are not shown: {errorMessage(incidents.error)}
        </Typography>
      )}
      {body}
    </InfoCard>
  );
}

/** The level and score, with the factors that raised the risk most. */
function Risk({ assessment }: { assessment: AiopsDeployRiskApi.Assessment }) {
  const factors = topFactors(assessment);
  return (
    <>
      <Chip size="small" label={riskText(assessment)} />
      {factors.length > 0 && (
        <Typography variant="caption" color="textSecondary" component="div">
          {factors.map(f => f.label).join(', ')}
        </Typography>
      )}
    </>
  );
}
