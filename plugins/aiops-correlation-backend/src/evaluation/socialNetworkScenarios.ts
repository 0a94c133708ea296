import { ids, pods, type ScriptedAlert, type Scenario } from './scenarios';

/**
 * Storms on DeathStarBench's social network (`topologies/social-network.yaml`), written before
 * the rules were changed for them: each `failureClass` is one of the ways issue [L] found
 * correlation failing on estates it was never tuned on.
 */

/** Fires two minutes in every four: a CPU-throttling warning nobody acts on. */
function flapping(
  id: string,
  entity: string,
  title: string,
  severity: ScriptedAlert['severity'],
  from: number,
  until: number,
): ScriptedAlert {
  const episodes: Array<[number, number]> = [];
  for (let t = from; t < until; t += 4) episodes.push([t, t + 2]);
  return { id, entity, title, severity, episodes };
}

const noise = {
  throttling: [
    flapping(
      'sn-home-timeline-throttled',
      'home-timeline',
      'CPUThrottlingHigh',
      'info',
      0,
      40,
    ),
  ],
  frontDoor: pods(
    'sn-web-5xx',
    'social-web',
    'NginxHigh5xxRate',
    'critical',
    6,
    6,
    40,
  ),
  mediaFrontend: pods(
    'sn-media-frontend-errors',
    'media-frontend',
    'MediaFrontendErrors',
    'error',
    7,
    4,
    40,
  ),
  // The database's alert waits for its `for: 5m`: it arrives minutes after the front door's.
  mongo: pods(
    'sn-media-mongodb-down',
    'media-mongodb',
    'MongodbDown',
    'critical',
    10,
    1,
    40,
  ),
};

const consumer = {
  crash: pods(
    'sn-wht-crashlooping',
    'write-home-timeline',
    'KubePodCrashLooping',
    'warning',
    0,
    4,
    30,
  ).map(a => ({ ...a, labels: { reason: 'CrashLoopBackOff' } })),
  targetDown: pods(
    'sn-wht-target-down',
    'write-home-timeline',
    'TargetDown',
    'warning',
    1,
    4,
    30,
  ),
  backlog: pods(
    'sn-rabbitmq-backlog',
    'write-home-timeline-rabbitmq',
    'RabbitmqQueueBacklog',
    'warning',
    3,
    1,
    30,
  ),
  publishLatency: pods(
    'sn-compose-post-slow',
    'compose-post',
    'ComposePostLatencyHigh',
    'warning',
    5,
    3,
    30,
  ),
};

const broker = {
  down: pods(
    'sn-rabbitmq-down',
    'write-home-timeline-rabbitmq',
    'RabbitmqDown',
    'critical',
    0,
    1,
    30,
  ),
  compose: pods(
    'sn-compose-post-errors',
    'compose-post',
    'ComposePostErrors',
    'error',
    1,
    4,
    30,
  ),
  consumer: pods(
    'sn-wht-errors',
    'write-home-timeline',
    'WriteHomeTimelineErrors',
    'error',
    1.5,
    4,
    30,
  ),
  frontDoor: pods(
    'sn-web-compose-errors',
    'social-web',
    'NginxHigh5xxRate',
    'error',
    2,
    6,
    30,
  ),
};

const wrongHome = {
  // Sign-ups fail on user-service on their own (a bad config), a small incident.
  user: pods('sn-user-errors', 'user', 'UserServiceErrors', 'error', 0, 3, 30),
  // post-storage's MongoDB goes down; its alert is first, its symptoms climb a few seconds apart.
  mongo: pods(
    'sn-post-storage-mongodb-down',
    'post-storage-mongodb',
    'MongodbDown',
    'critical',
    1,
    1,
    30,
  ),
  // The front door alerts when only the database has alerted: user-service is one hop
  // away, the database three.
  frontDoor: pods(
    'sn-web-read-errors',
    'social-web',
    'NginxHigh5xxRate',
    'critical',
    1.5,
    1,
    30,
  ),
  postStorage: pods(
    'sn-post-storage-errors',
    'post-storage',
    'PostStorageErrors',
    'error',
    1.6,
    4,
    30,
  ),
  homeTimeline: pods(
    'sn-home-timeline-errors',
    'home-timeline',
    'HomeTimelineReadErrors',
    'error',
    1.7,
    6,
    30,
  ),
  userTimeline: pods(
    'sn-user-timeline-errors',
    'user-timeline',
    'UserTimelineReadErrors',
    'error',
    1.8,
    6,
    30,
  ),
};

const skew = {
  // The Redis exporter's host clock is ten minutes ahead.
  redis: pods(
    'sn-user-timeline-redis-down',
    'user-timeline-redis',
    'RedisDown',
    'critical',
    2,
    1,
    30,
  ).map(a => ({ ...a, clockSkewMin: 10 })),
  userTimeline: pods(
    'sn-user-timeline-cache-errors',
    'user-timeline',
    'UserTimelineReadErrors',
    'error',
    2.5,
    2,
    30,
  ),
  // An unrelated failure whose only alert comes from the skewed host.
  socialGraphRedis: pods(
    'sn-social-graph-redis-down',
    'social-graph-redis',
    'RedisDown',
    'critical',
    3,
    1,
    30,
  ).map(a => ({ ...a, clockSkewMin: 10 })),
};

export const SOCIAL_NETWORK_SCENARIOS: Scenario[] = [
  {
    name: 'sn-noise-anchors-front-door',
    failureClass: '1 noise captures the real incident',
    description:
      'A flapping info-level CPU-throttling alert on home-timeline has an incident of its own; the front door (social-web, which calls home-timeline) starts failing; minutes later media-mongodb, which home-timeline never touches, is reported down.',
    storm: true,
    alerts: Object.values(noise).flat(),
    expected: {
      incidents: [
        {
          name: 'throttling noise',
          alertIds: ids(noise.throttling),
          rootCause: 'component:default/home-timeline',
        },
        {
          name: 'media-mongodb outage',
          alertIds: ids([
            ...noise.frontDoor,
            ...noise.mediaFrontend,
            ...noise.mongo,
          ]),
          rootCause: 'resource:default/media-mongodb',
        },
      ],
    },
  },
  {
    name: 'sn-consumer-crash-not-broker',
    failureClass: '2 consumer crash blamed on its broker',
    description:
      'write-home-timeline (the queue consumer) crash-loops; then its RabbitMQ queue backs up and compose-post, which publishes to it, slows down. The broker is upstream-most but only has a backlog.',
    storm: true,
    alerts: Object.values(consumer).flat(),
    expected: {
      incidents: [
        {
          name: 'consumer crash',
          alertIds: Object.values(consumer).flatMap(ids),
          rootCause: 'component:default/write-home-timeline',
        },
      ],
    },
  },
  {
    name: 'sn-broker-down',
    failureClass: '2 (counter-case: the broker really is down)',
    description:
      'RabbitMQ itself goes down: compose-post cannot publish, write-home-timeline cannot consume, the front door returns errors.',
    storm: true,
    alerts: Object.values(broker).flat(),
    expected: {
      incidents: [
        {
          name: 'broker down',
          alertIds: Object.values(broker).flatMap(ids),
          rootCause: 'resource:default/write-home-timeline-rabbitmq',
        },
      ],
    },
  },
  {
    name: 'sn-symptom-wrong-home',
    failureClass: '3 a symptom stays in the wrong incident',
    description:
      'user-service fails on its own; post-storage-mongodb goes down. The front door alerts when only the database has, and joins the nearer user-service incident; seconds later post-storage, home-timeline and user-timeline alert and make the database incident its home.',
    storm: true,
    alerts: Object.values(wrongHome).flat(),
    expected: {
      incidents: [
        {
          name: 'user-service',
          alertIds: ids(wrongHome.user),
          rootCause: 'component:default/user',
        },
        {
          name: 'post-storage-mongodb outage',
          alertIds: ids([
            ...wrongHome.mongo,
            ...wrongHome.frontDoor,
            ...wrongHome.postStorage,
            ...wrongHome.homeTimeline,
            ...wrongHome.userTimeline,
          ]),
          rootCause: 'resource:default/post-storage-mongodb',
        },
      ],
    },
  },
  {
    name: 'sn-clock-skew',
    failureClass: '5 clocks',
    description:
      "The hosts of user-timeline-redis and social-graph-redis run ten minutes ahead: their alerts' startsAt lie in the future. Each outage must open at once, not when the wall clock reaches startsAt.",
    storm: false,
    alerts: Object.values(skew).flat(),
    expected: {
      incidents: [
        {
          name: 'user-timeline-redis outage',
          alertIds: ids([...skew.redis, ...skew.userTimeline]),
          rootCause: 'resource:default/user-timeline-redis',
        },
        {
          name: 'social-graph-redis outage',
          alertIds: ids(skew.socialGraphRedis),
          rootCause: 'resource:default/social-graph-redis',
        },
      ],
    },
  },
];
