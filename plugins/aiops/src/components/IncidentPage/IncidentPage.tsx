import { useCallback, useMemo, useState } from 'react';
import { useParams } from 'react-router-dom';
import {
  Content,
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import BackIcon from '@material-ui/icons/ArrowBack';
import type { IncidentDetails } from '@aiops/plugin-aiops-common';
import { useAiopsData } from '../../hooks/useAiopsData';
import { rootRouteRef } from '../../routes';
import { errorMessage } from '../shared';
import { SimilarIncidentsCard } from '../SimilarIncidents';
import { AffectedEntitiesCard } from './AffectedEntitiesCard';
import { AlertsCard } from './AlertsCard';
import { FindingsCard } from './FindingsCard';
import { IncidentHeader } from './IncidentHeader';
import { NarrativeCard } from './NarrativeCard';
import { NotificationsCard } from './NotificationsCard';
import { RootCausesCard } from './RootCausesCard';
import { TimelineCard } from './TimelineCard';

function isNotFound(error: Error): boolean {
  return (error as { statusCode?: number }).statusCode === 404;
}

/** The current findings: the keyed list of the details, or the incident's own if that is empty. */
function currentFindings(details: IncidentDetails) {
  if (details.findings.length) return details.findings;
  return details.incident.findings.map((finding, index) => ({
    key: `${finding.rule}#${index}`,
    finding,
  }));
}

function BackToOverview() {
  const root = useRouteRef(rootRouteRef)();
  return (
    <Box mb={2}>
      <Link to={root}>
        <Box component="span" display="inline-flex" alignItems="center">
          <BackIcon fontSize="small" /> AIOps overview
        </Box>
      </Link>
    </Box>
  );
}

/** One incident: what it is, why correlation thinks so, what happened, who was told. */
export function IncidentView(props: { incidentId: string }) {
  const { incidentId } = props;
  // Bumped after an action: a changed dependency reloads even while a poll is in flight,
  // where a retry would be dropped.
  const [revision, setRevision] = useState(0);
  const reload = useCallback(() => setRevision(r => r + 1), []);
  const details = useAiopsData(
    api => api.getIncident(incidentId),
    [incidentId, revision],
  );
  const notifications = useAiopsData(
    api => api.listIncidentNotifications(incidentId),
    [incidentId, revision],
  );

  const value = details.value;
  const alertIds = useMemo(
    () => new Set(value?.alerts.map(alert => alert.alertId) ?? []),
    [value],
  );

  let content: JSX.Element;
  if (details.error && isNotFound(details.error)) {
    content = (
      <EmptyState
        missing="data"
        title={`Incident ${incidentId} not found`}
        description="It may never have existed, or its data has expired. Incidents of a service are on its Incidents tab."
      />
    );
  } else if (details.error) {
    content = (
      <ResponseErrorPanel
        title={`Could not load incident ${incidentId}: ${errorMessage(
          details.error,
        )}`}
        error={details.error}
      />
    );
  } else if (!value) {
    content = <Progress />;
  } else {
    const { incident } = value;
    content = (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <IncidentHeader incident={incident} onChanged={reload} />
        </Grid>
        <Grid item xs={12}>
          <NarrativeCard incidentId={incidentId} alertIds={alertIds} />
        </Grid>
        <Grid item xs={12}>
          <SimilarIncidentsCard incidentId={incidentId} />
        </Grid>
        <Grid item xs={12} md={7}>
          <FindingsCard findings={currentFindings(value)} alertIds={alertIds} />
        </Grid>
        <Grid item xs={12} md={5}>
          <RootCausesCard
            candidates={incident.rootCauseCandidates}
            alertIds={alertIds}
          />
        </Grid>
        <Grid item xs={12}>
          <AlertsCard alerts={value.alerts} alertDetails={value.alertDetails} />
        </Grid>
        <Grid item xs={12}>
          <AffectedEntitiesCard incident={incident} />
        </Grid>
        <Grid item xs={12}>
          <TimelineCard
            key={incidentId}
            incidentId={incidentId}
            timeline={value.timeline}
            olderTimelineCursor={value.olderTimelineCursor}
            alertIds={alertIds}
          />
        </Grid>
        <Grid item xs={12}>
          <NotificationsCard
            value={notifications.value}
            error={notifications.error}
          />
        </Grid>
      </Grid>
    );
  }

  return (
    <Content>
      <BackToOverview />
      {content}
    </Content>
  );
}

/** The route element for `incidents/:id` under the AIOps page. */
export function IncidentPage() {
  const { id } = useParams();
  return <IncidentView incidentId={id ?? ''} />;
}
