import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import TrackChangesIcon from '@material-ui/icons/TrackChanges';
import { aiopsApiFactory } from './api/factory';
import { rootRouteRef } from './routes';

const api = ApiBlueprint.make({
  params: defineParams => defineParams(aiopsApiFactory),
});

/** `/aiops`: platform overview, incident pages, silences; its title and icon make the nav item. */
const page = PageBlueprint.make({
  params: {
    path: '/aiops',
    routeRef: rootRouteRef,
    title: 'AIOps',
    icon: <TrackChangesIcon />,
    loader: () =>
      import('./components/AiopsRouter').then(m => <m.AiopsRouter />),
  },
});

const healthCard = EntityCardBlueprint.make({
  name: 'health',
  params: {
    filter: 'kind:component',
    loader: () =>
      import('./components/EntityHealthCard').then(m => <m.EntityHealthCard />),
  },
});

const regressionsCard = EntityCardBlueprint.make({
  name: 'regressions',
  params: {
    filter: 'kind:component',
    loader: () =>
      import('./components/EntityRegressionsCard').then(m => (
        <m.EntityRegressionsCard />
      )),
  },
});

const incidentsContent = EntityContentBlueprint.make({
  name: 'incidents',
  params: {
    path: '/incidents',
    title: 'Incidents',
    filter: 'kind:component',
    loader: () =>
      import('./components/EntityIncidentsContent').then(m => (
        <m.EntityIncidentsContent />
      )),
  },
});

const deploymentsContent = EntityContentBlueprint.make({
  name: 'deployments',
  params: {
    path: '/deployments',
    title: 'Deployments',
    filter: 'kind:component',
    loader: () =>
      import('./components/EntityDeploymentsContent').then(m => (
        <m.EntityDeploymentsContent />
      )),
  },
});

const groupCard = EntityCardBlueprint.make({
  name: 'group-incidents',
  params: {
    filter: 'kind:group',
    type: 'content',
    loader: () =>
      import('./components/GroupIncidentsCard').then(m => (
        <m.GroupIncidentsCard />
      )),
  },
});

/** The AIOps plugin for the new frontend system. */
export default createFrontendPlugin({
  pluginId: 'aiops',
  title: 'AIOps',
  icon: <TrackChangesIcon />,
  routes: { root: rootRouteRef },
  extensions: [
    api,
    page,
    healthCard,
    regressionsCard,
    incidentsContent,
    deploymentsContent,
    groupCard,
  ],
});
