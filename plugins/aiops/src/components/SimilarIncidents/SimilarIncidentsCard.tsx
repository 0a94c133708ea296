import { InfoCard, Progress } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { useAiopsData } from '../../hooks/useAiopsData';
import { retrievalProblem } from './retrievalErrors';
import { SimilarIncidentList } from './SimilarIncidentList';

/** Hits on the incident page: enough to recognise a repeat without burying the page. */
export const SIMILAR_INCIDENTS_SHOWN = 5;

/**
 * "Have we seen this before, and what fixed it?": the past incidents most like this one, from
 * aiops-retrieval. Retrieval is optional: when it is not installed or fails, the card says so
 * in a line and the rest of the incident page is unaffected. Loaded once per incident (the
 * ranking barely moves while the page is open).
 */
export function SimilarIncidentsCard(props: { incidentId: string }) {
  const { incidentId } = props;
  const state = useAiopsData(
    api => api.getSimilarIncidents(incidentId, { k: SIMILAR_INCIDENTS_SHOWN }),
    [incidentId],
    { pollMs: 0 },
  );

  let body: JSX.Element;
  if (state.value) {
    body = state.value.hits.length ? (
      <SimilarIncidentList result={state.value} />
    ) : (
      <Typography variant="body2" color="textSecondary">
        No similar past incidents yet.
      </Typography>
    );
  } else if (state.error) {
    body = (
      <Typography variant="body2" color="textSecondary">
        {retrievalProblem(state.error)}
      </Typography>
    );
  } else {
    body = <Progress />;
  }
  return (
    <InfoCard title="Similar past incidents" variant="gridItem">
      {body}
    </InfoCard>
  );
}
