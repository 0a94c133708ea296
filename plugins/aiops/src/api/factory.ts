import {
  createApiFactory,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { aiopsApiRef } from './AiopsApi';
import { AiopsClient } from './AiopsClient';

/** The one API factory, shared by the legacy plugin and the new-frontend-system plugin. */
export const aiopsApiFactory = createApiFactory({
  api: aiopsApiRef,
  deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
  factory: ({ discoveryApi, fetchApi }) =>
    new AiopsClient({ discoveryApi, fetchApi }),
});
