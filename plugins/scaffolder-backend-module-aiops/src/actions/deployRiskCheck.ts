import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { AiopsDeployRiskApi } from '@aiops/plugin-aiops-common';
import {
  readOk,
  suiteClientOptions,
  withServiceToken,
} from '@aiops/plugin-aiops-node';

export const DEPLOY_RISK_CHECK_ACTION_ID = 'aiops:deploy-risk:check';

/** The levels in order: `failOn` fails the step at its level and every one above it. */
export const RISK_LEVELS = ['low', 'medium', 'high', 'blocked'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** How many factors the failure message lists. */
const TOP_FACTORS = 3;

/** Whether `level` is at or above `failOn`. */
export function reaches(level: string, failOn: RiskLevel): boolean {
  return RISK_LEVELS.indexOf(level as RiskLevel) >= RISK_LEVELS.indexOf(failOn);
}

/** The step's failure: the level, the factors that raised it most and the recommendation. */
export function failureMessage(
  assessment: AiopsDeployRiskApi.Assessment,
  failOn: RiskLevel,
  url: string,
): string {
  const top = assessment.factors
    .filter(f => f.contribution > 0)
    .slice(0, TOP_FACTORS)
    .map(f => `${f.label}: ${f.explanation}`);
  return [
    `Deploy risk of ${assessment.entityRef} ${assessment.version} in ${assessment.environment} is ${assessment.level} (score ${assessment.score}), at or above failOn ${failOn}.`,
    ...(assessment.blockedBy.length
      ? [`Blocked by: ${assessment.blockedBy.join('; ')}.`]
      : []),
    ...(top.length ? [`Top factors: ${top.join(' ')}`] : []),
    assessment.recommendation,
    `Assessment: ${url}`,
  ].join('\n');
}

/**
 * `aiops:deploy-risk:check`: assesses the deploy with the deploy-risk plugin, with the
 * scaffolder's own service credentials, outputs the score, level, factors and the assessment's
 * URL, and fails the step when the level is at or above `failOn`.
 */
export function createDeployRiskCheckAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}) {
  const { discovery, auth } = options;
  const client = new AiopsDeployRiskApi.DefaultApiClient(
    suiteClientOptions(discovery, AiopsDeployRiskApi.pluginId),
  );
  return createTemplateAction({
    id: DEPLOY_RISK_CHECK_ACTION_ID,
    description:
      'Assesses the risk of a deploy (the AIOps deploy-risk plugin) and fails the step at or above failOn',
    examples: [
      {
        description: 'Stop a production deploy at high risk',
        example: [
          'steps:',
          '  - id: risk',
          '    name: Deploy risk',
          `    action: ${DEPLOY_RISK_CHECK_ACTION_ID}`,
          '    input:',
          '      entityRef: component:default/cart',
          '      version: 2.1.0',
          '      environment: production',
          '      failOn: high',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .min(1)
            .describe('The entity deployed, e.g. component:default/cart'),
        version: z => z.string().min(1).describe('The version to deploy'),
        environment: z =>
          z.string().min(1).describe('The environment, e.g. production'),
        failOn: z =>
          z
            .enum(RISK_LEVELS)
            .default('high')
            .describe('Fail the step at this level or above (default high)'),
        changeSummary: z =>
          z.string().optional().describe('What the change does, in words'),
        diffStats: z =>
          z
            .object({
              filesChanged: z.number().int().min(0),
              linesAdded: z.number().int().min(0),
              linesDeleted: z.number().int().min(0),
              paths: z.array(z.string()),
            })
            .optional()
            .describe('The change size and the paths it touches'),
      },
      output: {
        assessmentId: z => z.string(),
        score: z =>
          z.number().describe('0–100: the modelled failure probability'),
        level: z => z.string().describe('low, medium, high or blocked'),
        factors: z =>
          z
            .array(
              z.object({
                id: z.string(),
                label: z.string(),
                value: z.number(),
                weight: z.number(),
                contribution: z.number(),
                explanation: z.string(),
              }),
            )
            .describe('The factors, largest contribution first'),
        assessmentUrl: z => z.string(),
      },
    },
    async handler(ctx) {
      // The scaffolder applies the schema's default; a direct call may leave it out.
      const { failOn = 'high', ...body } = ctx.input;
      const response = await withServiceToken(
        auth,
        AiopsDeployRiskApi.pluginId,
        requestOptions => client.createAssessment({ body }, requestOptions),
      );
      let assessment: AiopsDeployRiskApi.Assessment;
      try {
        assessment = await readOk(response);
      } catch (error) {
        // The API names what is wrong (the field, the unknown entity); say that, not only the
        // status.
        const answer =
          error instanceof ResponseError ? error.body.error : undefined;
        throw new Error(
          `Deploy risk could not be assessed (${response.status}): ${
            answer?.message ?? (error as Error).message
          }`,
        );
      }
      const url = `${await discovery.getExternalBaseUrl(
        AiopsDeployRiskApi.pluginId,
      )}/assessments/${encodeURIComponent(assessment.id)}`;
      ctx.output('assessmentId', assessment.id);
      ctx.output('score', assessment.score);
      ctx.output('level', assessment.level);
      ctx.output(
        'factors',
        assessment.factors.map(f => ({
          id: f.id,
          label: f.label,
          value: f.value,
          weight: f.weight,
          contribution: f.contribution,
          explanation: f.explanation,
        })),
      );
      ctx.output('assessmentUrl', url);
      ctx.logger.info(
        `Deploy risk of ${assessment.entityRef} ${assessment.version}: ${assessment.level} (score ${assessment.score}). ${assessment.recommendation}`,
      );
      if (reaches(assessment.level, failOn))
        throw new Error(failureMessage(assessment, failOn, url));
    },
  });
}
