/**
 * Deployment receivers: pure functions from a sender's request to `DeploymentInput`s. They
 * throw `InputError` naming the JSON path of the offending field. docs/ingest/deployments.md
 * describes each format.
 */
export { parseGenericDeployments } from './generic';
export { BatchTooLargeError } from '../validation';
export { parseCdEvent } from './cdevents';
export { parseGitHubDeploymentEvent, verifyGitHubSignature } from './github';
export { parseArgoCdNotification } from './argocd';
export {
  PAGERDUTY_CHANGE_ROUTE,
  changeEventSentAsAlert,
  isPagerDutyChangeEvent,
  parsePagerDutyChangeEvent,
} from './pagerdutyChange';
