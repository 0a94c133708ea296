import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  aiops?: {
    catalog?: {
      /**
       * How often each backend instance reloads the catalog snapshot used to key signals to
       * entities. Default: every 5 minutes, first after 5 minutes, 2-minute timeout.
       */
      refresh?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    permissions?: {
      /** Users, or groups whose members, administer the suite (entity refs). */
      admins?: string[];
    };
  };
}
