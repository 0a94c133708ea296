import { Link as RouterLink } from 'react-router-dom';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import {
  Content,
  ContentHeader,
  Header,
  Page,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { rootRouteRef } from '../../routes';
import { IncidentSearchCard } from '../SimilarIncidents';
import { LanguageModelCard } from './LanguageModelCard';
import { NoisiestAlertsCard } from './NoisiestAlertsCard';
import { NotificationDeliveryCard } from './NotificationDeliveryCard';
import { OpenIncidentsByGroupCard } from './OpenIncidentsByGroupCard';
import { OpenIncidentsCard } from './OpenIncidentsCard';
import { ResponseTimeTrendsCard } from './ResponseTimeTrendsCard';
import { UnownedSignalsCard } from './UnownedSignalsCard';

/**
 * `/aiops` for platform teams: a search over past incidents, where incidents are open, which signals reach nobody, which
 * alerts are noisiest, how response times move, whether notifications get out, and what the
 * language model behind the narratives costs. Each card
 * loads on its own, so one failing backend call leaves the others standing.
 */
export function PlatformOverviewPage() {
  const root = useRouteRef(rootRouteRef)();
  return (
    <Page themeId="tool">
      <Header
        title="AIOps"
        subtitle="Incidents, signals and notifications across all teams"
      />
      <Content>
        <ContentHeader title="Platform overview">
          <Button
            component={RouterLink}
            to={`${root.replace(/\/$/, '')}/silences`}
            variant="outlined"
            color="primary"
          >
            Silences and maintenance windows
          </Button>
        </ContentHeader>
        <Grid container spacing={3} alignItems="stretch">
          <Grid item xs={12}>
            <IncidentSearchCard />
          </Grid>
          <Grid item xs={12}>
            <OpenIncidentsByGroupCard />
          </Grid>
          <Grid item xs={12}>
            <OpenIncidentsCard />
          </Grid>
          <Grid item xs={12} lg={6}>
            <UnownedSignalsCard />
          </Grid>
          <Grid item xs={12} lg={6}>
            <NoisiestAlertsCard />
          </Grid>
          <Grid item xs={12} lg={6}>
            <ResponseTimeTrendsCard />
          </Grid>
          <Grid item xs={12} lg={6}>
            <NotificationDeliveryCard />
          </Grid>
          <Grid item xs={12} lg={6}>
            <LanguageModelCard />
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
