import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useAiopsData } from '../../hooks/useAiopsData';
import { DataCard } from '../shared/DataCard';
import { IncidentTable } from '../shared/IncidentTable';

const TITLE = 'Open incidents';

/** Every open or acknowledged incident the user may read, newest first. */
export function OpenIncidentsCard() {
  const state = useAiopsData(
    api => api.listIncidents({ status: ['open', 'acknowledged'] }),
    [],
  );
  if (state.error && !state.value) {
    return (
      <DataCard title={TITLE} state={state}>
        {() => null}
      </DataCard>
    );
  }
  return (
    <IncidentTable
      title={TITLE}
      incidents={state.value?.items ?? []}
      isLoading={!state.value}
      emptyContent={
        <Box p={2}>
          <Typography variant="body2" color="textSecondary">
            No open incidents.
          </Typography>
        </Box>
      }
    />
  );
}
