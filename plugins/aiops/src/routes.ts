import { createRouteRef } from '@backstage/core-plugin-api';

/** `/aiops`: the platform overview; incidents live at `incidents/:id`, silences at `silences`. */
export const rootRouteRef = createRouteRef({ id: 'aiops' });
