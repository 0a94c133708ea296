import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readDurationMs } from '@aiops/plugin-aiops-node';
import type { FreezeWindow, RiskPolicy } from './service/types';

/** A freeze as configured: explicit ISO 8601 intervals (RRULE expansion is not in aiops-node yet). */
export interface ConfiguredPolicy extends Omit<RiskPolicy, 'freezeWindows'> {
  freezes: FreezeWindow[];
}

export interface DeployRiskPluginConfig {
  /** Policies by owner group ref (`group:default/cart-team`); `defaultPolicy` for the rest. */
  policies: Map<string, ConfiguredPolicy>;
  defaultPolicy: ConfiguredPolicy;
  /** How long after a deploy an incident or regression counts against it. */
  outcomeWindowMs: number;
  /** How often the outcome task links deployments and closes windows. */
  outcomeIntervalMs: number;
}

export const DEFAULT_POLICY: ConfiguredPolicy = {
  timezone: 'UTC',
  workingHours: { start: 9, end: 18 },
  fridayCutoffHour: 14,
  freezes: [],
};

function hour(config: Config, key: string, fallback: number): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 0 || value > 24)
    throw new InputError(`${key} must be an hour from 0 to 24`);
  return value;
}

function readPolicy(config: Config, prefix: string): ConfiguredPolicy {
  const timezone = config.getOptionalString('timezone') ?? 'UTC';
  const start = hour(config, 'workingHours.start', 9);
  const end = hour(config, 'workingHours.end', 18);
  if (start >= end)
    throw new InputError(
      `${prefix}.workingHours.start must be before workingHours.end`,
    );
  const freezes = (config.getOptionalConfigArray('freezes') ?? []).map(
    (freeze, i) => {
      const key = `${prefix}.freezes[${i}]`;
      const startsAt = Date.parse(freeze.getString('startsAt'));
      const endsAt = Date.parse(freeze.getString('endsAt'));
      if (Number.isNaN(startsAt) || Number.isNaN(endsAt) || endsAt <= startsAt)
        throw new InputError(
          `${key} must have ISO 8601 startsAt before endsAt`,
        );
      return {
        name: freeze.getOptionalString('name') ?? `freeze ${i + 1}`,
        startsAt: new Date(startsAt).toISOString(),
        endsAt: new Date(endsAt).toISOString(),
      };
    },
  );
  return {
    timezone,
    workingHours: { start, end },
    fridayCutoffHour: hour(config, 'fridayCutoffHour', 14),
    freezes,
  };
}

/** `checkout-team` or `group:checkout-team` as `group:default/checkout-team`. */
function groupRef(owner: string): string {
  const ref = owner.trim().toLocaleLowerCase('en-US');
  const withKind = ref.includes(':') ? ref : `group:${ref}`;
  const [kind, rest] = withKind.split(/:(.*)/s);
  return `${kind}:${rest.includes('/') ? rest : `default/${rest}`}`;
}

/**
 * `aiops.deployRisk.policies` (a list, each with the `owner` group it applies to),
 * `defaultPolicy` for entities whose owner has none, `outcomeWindow` and `outcomeInterval`.
 * The scoring weights are read by `readDeployRiskConfig`.
 */
export function readDeployRiskPluginConfig(
  root: Config,
): DeployRiskPluginConfig {
  const policies = new Map<string, ConfiguredPolicy>();
  const defaults = root.getOptionalConfig('aiops.deployRisk.defaultPolicy');
  const defaultPolicy = defaults
    ? readPolicy(defaults, 'aiops.deployRisk.defaultPolicy')
    : DEFAULT_POLICY;
  (root.getOptionalConfigArray('aiops.deployRisk.policies') ?? []).forEach(
    (section, i) => {
      const prefix = `aiops.deployRisk.policies[${i}]`;
      const owner = groupRef(section.getString('owner'));
      if (policies.has(owner))
        throw new InputError(`${prefix}.owner ${owner} has a policy already`);
      policies.set(owner, readPolicy(section, prefix));
    },
  );
  return {
    policies,
    defaultPolicy,
    outcomeWindowMs: readDurationMs(
      root,
      'aiops.deployRisk.outcomeWindow',
      { hours: 24 },
      { positive: true },
    ),
    outcomeIntervalMs: readDurationMs(
      root,
      'aiops.deployRisk.outcomeInterval',
      { minutes: 5 },
      { positive: true },
    ),
  };
}

/** The owner's policy with its freezes overlapping [from, to). */
export function policyFor(
  config: DeployRiskPluginConfig,
  owner: string | undefined,
  from: string,
  to: string,
): RiskPolicy {
  const { freezes, ...policy } =
    (owner && config.policies.get(owner)) || config.defaultPolicy;
  const start = Date.parse(from);
  const end = Date.parse(to);
  return {
    ...policy,
    freezeWindows: freezes.filter(
      f => Date.parse(f.startsAt) < end && Date.parse(f.endsAt) > start,
    ),
  };
}
