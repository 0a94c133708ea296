/* eslint-disable @backstage/no-relative-monorepo-imports */
import type {
  BackendFeature,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  startWithDataPlane,
  type DataPlaneWith,
} from '../../../aiops-correlation-backend/src/__testUtils__/startSuite';
import { aiopsRetrievalPlugin } from '../plugin';

export {
  alertmanagerGroup,
  asService,
  asUser,
  eventually,
  minutesAgo,
  sendAlerts,
  storm,
} from '../../../aiops-correlation-backend/src/__testUtils__/startSuite';

export interface RetrievalSuite extends DataPlaneWith {
  /** Runs retrieval's catch-up once (reads the change feed, indexes what changed). */
  catchUp(): Promise<void>;
}

/** The real ingest, correlation and retrieval plugins on the demo catalog. */
export async function startRetrievalSuite(
  options: {
    extraFeatures?: Array<ServiceFactory | BackendFeature>;
    /** More of `aiops.*` (e.g. `llm`, `retrieval`). */
    aiops?: Record<string, unknown>;
  } = {},
): Promise<RetrievalSuite> {
  const suite = await startWithDataPlane({
    features: [aiopsRetrievalPlugin, ...(options.extraFeatures ?? [])],
    aiops: options.aiops,
  });
  return {
    ...suite,
    catchUp: () => suite.trigger('aiops-retrieval-catch-up'),
  };
}
