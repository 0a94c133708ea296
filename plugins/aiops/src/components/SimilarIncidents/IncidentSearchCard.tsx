import { useState, type FormEvent } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { aiopsApiRef } from '../../api/AiopsApi';
import { retrievalProblem } from './retrievalErrors';
import { SimilarIncidentList } from './SimilarIncidentList';

/** The backend's limit on a query (`POST /search`, 400 beyond it). */
export const MAX_QUERY_LENGTH = 1000;
const HITS = 10;

/**
 * Free-text search over every past incident (aiops-retrieval): "redis cart out of memory"
 * finds the incidents like it and what fixed them, shown as the incident page's similar
 * incidents are.
 */
export function IncidentSearchCard() {
  const api = useApi(aiopsApiRef);
  const [text, setText] = useState('');
  const [state, search] = useAsyncFn(
    (query: string) => api.searchIncidents({ query, k: HITS }),
    [api],
  );
  const query = text.trim();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (query) search(query);
  };

  let results: JSX.Element | null = null;
  if (state.loading) {
    results = <Progress />;
  } else if (state.error) {
    results = (
      <Typography variant="body2" color="textSecondary">
        {retrievalProblem(state.error)}
      </Typography>
    );
  } else if (state.value) {
    results = state.value.hits.length ? (
      <SimilarIncidentList result={state.value} />
    ) : (
      <Typography variant="body2" color="textSecondary">
        No past incidents match.
      </Typography>
    );
  }

  return (
    <InfoCard title="Search past incidents">
      <form onSubmit={submit} role="search" aria-label="Search past incidents">
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <TextField
            id="aiops-incident-search"
            fullWidth
            size="small"
            variant="outlined"
            label="What happened?"
            placeholder="e.g. redis cart out of memory"
            value={text}
            onChange={event => setText(event.target.value)}
            inputProps={{ maxLength: MAX_QUERY_LENGTH }}
          />
          <Button
            type="submit"
            variant="contained"
            color="primary"
            disabled={!query || state.loading}
          >
            Search
          </Button>
        </Box>
      </form>
      {results && <Box mt={2}>{results}</Box>}
    </InfoCard>
  );
}
