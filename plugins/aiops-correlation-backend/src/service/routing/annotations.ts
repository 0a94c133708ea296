/** The catalog annotations routing reads. */
export const ANNOTATIONS = {
  slackChannel: 'aiops/slack-channel',
  slackBotNotify: 'slack.com/bot-notify',
  pagerDutyKey: 'pagerduty.com/integration-key',
  escalationPolicy: 'aiops/escalation-policy',
} as const;
