/* eslint-disable @backstage/no-relative-monorepo-imports */
import {
  createServiceFactory,
  type BackendFeature,
  type ServiceFactory,
} from '@backstage/backend-plugin-api';
import { llmServiceRef, type LlmService } from '@aiops/plugin-aiops-node';
import {
  startWithDataPlane,
  type DataPlaneWith,
} from '../../../aiops-correlation-backend/src/__testUtils__/startSuite';
import { aiopsNarratorPlugin } from '../plugin';

export {
  alertmanagerGroup,
  asService,
  asUser,
  eventually,
  minutesAgo,
  sendAlerts,
  storm,
} from '../../../aiops-correlation-backend/src/__testUtils__/startSuite';

export interface NarratorSuite extends DataPlaneWith {
  /** Runs the narrator's catch-up once (reads the change feed, narrates what is due). */
  catchUp(): Promise<void>;
}

/**
 * The real ingest, correlation and narrator plugins on the demo catalog, with no debounce (the
 * narrator narrates as soon as it reads a change) and, when given, a language model.
 */
export async function startNarratorSuite(
  options: {
    llm?: LlmService;
    narratorConfig?: object;
    extraFeatures?: Array<ServiceFactory | BackendFeature>;
  } = {},
): Promise<NarratorSuite> {
  const { llm } = options;
  const suite = await startWithDataPlane({
    features: [
      aiopsNarratorPlugin,
      ...(llm
        ? [
            createServiceFactory({
              service: llmServiceRef,
              deps: {},
              factory: () => llm,
            }),
          ]
        : []),
      ...(options.extraFeatures ?? []),
    ],
    aiops: { narrator: { debounce: 'PT0S', ...options.narratorConfig } },
  });
  return {
    ...suite,
    catchUp: () => suite.trigger('aiops-narrator-catch-up'),
  };
}
