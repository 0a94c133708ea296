/* eslint-disable @backstage/no-relative-monorepo-imports */
// The demo's storyline lives in the example backend (`npm start`); its timeline is read from
// there so that this scenario follows it when it changes.
import type { Scenario } from '../../../aiops-correlation-backend/src/evaluation/scenarios';
import {
  CART_MAJOR,
  CYCLE_MS,
  MINUTE_MS,
  TIMELINE,
  cartBaselineVersion,
  releaseVersion,
} from '../../../../packages/backend/src/modules/demoTraffic/storyline';

const minutes = (ms: number) => ms / MINUTE_MS;

/**
 * One cycle of the demo storyline (`packages/backend/src/modules/demoTraffic/storyline.ts`) as a
 * correlation scenario on the demo catalog: the cart release and the Redis latency cascade it
 * causes, the rollback; the ledger-db configuration change and the disk alert after it; the
 * harmless productcatalog deploy. Times are the storyline's, in minutes of the cycle. The
 * unowned FanSpeedLow alert keys to nothing and opens no incident a narrative is written for.
 */
export function demoStorylineScenario(
  cycleStart = Date.UTC(2026, 11, 3, 7, 0),
): Scenario {
  const t = Object.fromEntries(
    Object.entries(TIMELINE).map(([k, v]) => [k, minutes(v)]),
  ) as Record<keyof typeof TIMELINE, number>;
  // The rollback ends every alert of the cascade within 9:00–9:30, as the storyline does.
  const cascadeEnd = 9;
  return {
    name: 'demo-storyline',
    description:
      'One cycle of the `npm start` storyline: a cart release makes Redis slow, cart, checkout and frontend fail after it, on-call rolls back; then a ledger-db configuration change fills its disk.',
    storm: false,
    deployments: [
      {
        id: 'demo-cart-release',
        entity: 'cart',
        version: releaseVersion(CART_MAJOR, cycleStart),
        at: t.cartDeploySucceeded,
      },
      {
        id: 'demo-cart-rollback',
        entity: 'cart',
        version: cartBaselineVersion(cycleStart),
        at: t.rollbackSucceeded,
      },
      {
        id: 'demo-ledger-config',
        entity: 'ledger-db',
        version: 'archive_command',
        at: t.ledgerConfigChanged,
        source: 'pagerduty-change',
        summary: 'Deploy succeeded: ledger-db archive_command changed',
      },
      {
        id: 'demo-productcatalog',
        entity: 'productcatalog',
        version: releaseVersion(0, cycleStart + CYCLE_MS),
        at: t.productcatalogDeploySucceeded,
      },
    ],
    alerts: [
      {
        id: 'demo-redis-latency',
        entity: 'redis-cart',
        title: 'RedisCartLatencyHigh',
        severity: 'warning',
        episodes: [[3, cascadeEnd]],
      },
      {
        id: 'demo-cart-errors',
        entity: 'cart',
        title: 'CartErrorRate',
        severity: 'critical',
        episodes: [[3.5, cascadeEnd + 0.1]],
      },
      {
        id: 'demo-checkout-errors',
        entity: 'checkout',
        title: 'CheckoutErrorRate',
        severity: 'critical',
        episodes: [[4, cascadeEnd + 0.2]],
      },
      {
        id: 'demo-frontend-latency',
        entity: 'frontend',
        title: 'FrontendHighLatency',
        severity: 'warning',
        episodes: [[4.5, cascadeEnd + 0.5]],
      },
      {
        id: 'demo-ledger-disk',
        entity: 'ledger-db',
        title: 'Disk 92% full on ledger-db-0 (/var/lib/postgresql)',
        severity: 'critical',
        episodes: [[t.diskAlertTriggered, t.diskAlertResolved]],
      },
    ],
    // What correlation makes of it (the narrator's evaluation reads the incidents, not these):
    // the Redis alert is a warning, and a page-level alert joins only through entities with
    // page-level alerts (topology-grouping@2), so Redis stays an incident of its own and the
    // critical cascade's most likely cause is cart, deployed two minutes before.
    expected: {
      incidents: [
        {
          name: 'cart release: error cascade',
          alertIds: [
            'demo-cart-errors',
            'demo-checkout-errors',
            'demo-frontend-latency',
          ],
          rootCause: 'component:default/cart',
        },
        {
          name: 'Redis latency',
          alertIds: ['demo-redis-latency'],
          rootCause: 'resource:default/redis-cart',
        },
        {
          name: 'ledger-db disk',
          alertIds: ['demo-ledger-disk'],
          rootCause: 'resource:default/ledger-db',
        },
      ],
    },
  };
}
