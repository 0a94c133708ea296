import { ids, pods, type Scenario } from './scenarios';

/**
 * Storms on DeathStarBench's hotel reservation (`topologies/hotel-reservation.yaml`), written
 * before the rules were changed for issue [L]; the correlation rules were never tuned on it.
 */

const noise = {
  // geo's latency warning flaps all morning; nobody acts on it.
  geoLatency: [
    {
      id: 'hr-geo-latency-flap',
      entity: 'geo',
      title: 'GeoLatencyHigh',
      severity: 'warning' as const,
      episodes: [0, 5, 10, 15, 20, 25, 30].map(
        t => [t, t + 2.5] as [number, number],
      ),
    },
  ],
  frontend: pods(
    'hr-frontend-5xx',
    'hotel-frontend',
    'FrontendHigh5xxRate',
    'critical',
    6,
    8,
    35,
  ),
  reservation: pods(
    'hr-reservation-errors',
    'reservation',
    'ReservationErrors',
    'error',
    7,
    6,
    35,
  ),
  mongo: pods(
    'hr-mongodb-reservation-down',
    'mongodb-reservation',
    'MongodbDown',
    'critical',
    9,
    1,
    35,
  ),
};

const deploy = {
  frontendLatency: pods(
    'hr-frontend-latency',
    'hotel-frontend',
    'FrontendLatencyHigh',
    'warning',
    1,
    1,
    30,
  ),
  rate: pods('hr-rate-errors', 'rate', 'RateServiceErrors', 'error', 2, 4, 30),
  search: pods(
    'hr-search-errors',
    'search',
    'SearchServiceErrors',
    'error',
    2.5,
    4,
    30,
  ),
  frontend: pods(
    'hr-frontend-search-5xx',
    'hotel-frontend',
    'FrontendHigh5xxRate',
    'critical',
    3,
    4,
    30,
  ),
};

const cache = {
  memcached: pods(
    'hr-memcached-profile-down',
    'memcached-profile',
    'MemcachedDown',
    'critical',
    0,
    1,
    30,
  ),
  profile: pods(
    'hr-profile-latency',
    'profile',
    'ProfileLatencyHigh',
    'warning',
    0.5,
    5,
    30,
  ),
  frontend: pods(
    'hr-frontend-profile-latency',
    'hotel-frontend',
    'FrontendLatencyHigh',
    'warning',
    1.5,
    6,
    30,
  ),
};

const wrongHome = {
  user: pods(
    'hr-user-errors',
    'hotel-user',
    'UserLoginErrors',
    'error',
    0,
    3,
    30,
  ),
  mongo: pods(
    'hr-mongodb-rate-down',
    'mongodb-rate',
    'MongodbDown',
    'critical',
    1,
    1,
    30,
  ),
  // Its first replica alerts when only the database has: hotel-user is one hop away,
  // mongodb-rate three. The other replicas follow while rate and search alert.
  frontend: pods(
    'hr-frontend-rate-5xx',
    'hotel-frontend',
    'FrontendHigh5xxRate',
    'critical',
    1.3,
    3,
    30,
  ),
  rate: pods(
    'hr-rate-db-errors',
    'rate',
    'RateServiceErrors',
    'error',
    1.4,
    6,
    30,
  ),
  search: pods(
    'hr-search-rate-errors',
    'search',
    'SearchServiceErrors',
    'error',
    1.5,
    6,
    30,
  ),
};

const configChange = {
  profile: pods(
    'hr-profile-config-errors',
    'profile',
    'ProfileServiceErrors',
    'error',
    2,
    4,
    30,
  ),
  frontend: pods(
    'hr-frontend-profile-errors',
    'hotel-frontend',
    'FrontendHigh5xxRate',
    'error',
    2.5,
    4,
    30,
  ),
};

const unrelated = {
  geo: pods('hr-geo-errors', 'geo', 'GeoServiceErrors', 'error', 0, 2, 20),
  profile: pods(
    'hr-profile-errors',
    'profile',
    'ProfileServiceErrors',
    'error',
    0.5,
    2,
    20,
  ),
  reservation: pods(
    'hr-reservation-slow',
    'reservation',
    'ReservationLatencyHigh',
    'warning',
    1,
    2,
    20,
  ),
};

export const HOTEL_RESERVATION_SCENARIOS: Scenario[] = [
  {
    name: 'hr-noise-anchors-front-door',
    failureClass: '1 noise captures the real incident',
    description:
      "geo's latency warning flaps; the frontend (which reaches geo through search) starts failing; then reservation errors and mongodb-reservation is reported down. geo has nothing to do with it.",
    storm: true,
    alerts: Object.values(noise).flat(),
    expected: {
      incidents: [
        {
          name: 'geo latency noise',
          alertIds: ids(noise.geoLatency),
          rootCause: 'component:default/geo',
        },
        {
          name: 'mongodb-reservation outage',
          alertIds: ids([
            ...noise.frontend,
            ...noise.reservation,
            ...noise.mongo,
          ]),
          rootCause: 'resource:default/mongodb-reservation',
        },
      ],
    },
  },
  {
    name: 'hr-bad-deploy-rate',
    description:
      'rate 1.8.0 ships a bug; rate, search and the frontend fail. A frontend latency warning fires before the first rate alert.',
    storm: true,
    deployments: [
      { id: 'hr-deploy-rate', entity: 'rate', version: '1.8.0', at: 0 },
    ],
    alerts: Object.values(deploy).flat(),
    expected: {
      incidents: [
        {
          name: 'rate deploy',
          alertIds: Object.values(deploy).flatMap(ids),
          rootCause: 'component:default/rate',
        },
      ],
      findings: { 'rate deploy': ['deploy-linked@'] },
    },
  },
  {
    name: 'hr-cache-outage',
    description:
      'memcached-profile goes down; profile and the frontend only get slower (warnings).',
    storm: true,
    alerts: Object.values(cache).flat(),
    expected: {
      incidents: [
        {
          name: 'memcached-profile outage',
          alertIds: Object.values(cache).flatMap(ids),
          rootCause: 'resource:default/memcached-profile',
        },
      ],
    },
  },
  {
    name: 'hr-symptom-wrong-home',
    failureClass: '3 a symptom stays in the wrong incident',
    description:
      'hotel-user fails on its own; mongodb-rate goes down. The frontend alerts when only the database has and joins the nearer hotel-user incident; rate and search alert seconds later and make the database incident its home.',
    storm: true,
    alerts: Object.values(wrongHome).flat(),
    expected: {
      incidents: [
        {
          name: 'hotel-user',
          alertIds: ids(wrongHome.user),
          rootCause: 'component:default/hotel-user',
        },
        {
          name: 'mongodb-rate outage',
          alertIds: ids([
            ...wrongHome.mongo,
            ...wrongHome.frontend,
            ...wrongHome.rate,
            ...wrongHome.search,
          ]),
          rootCause: 'resource:default/mongodb-rate',
        },
      ],
    },
  },
  {
    name: 'hr-change-event-before-errors',
    failureClass: '4 PagerDuty change events become alerts',
    description:
      'A CI job sends a PagerDuty change event for a feature-flag change to profile; two minutes later profile and the frontend fail. The change is a change (linked as what changed), not an alert or an incident of its own.',
    storm: false,
    deployments: [
      {
        id: 'hr-change-profile-flag',
        entity: 'profile',
        version: 'flag recommendations-v2 on',
        at: 0,
        source: 'pagerduty-change',
        summary: 'Build Success: enable recommendations-v2 for profile',
      },
    ],
    alerts: Object.values(configChange).flat(),
    expected: {
      incidents: [
        {
          name: 'profile after a change',
          alertIds: Object.values(configChange).flatMap(ids),
          rootCause: 'component:default/profile',
        },
      ],
      findings: { 'profile after a change': ['deploy-linked@'] },
    },
  },
  {
    name: 'hr-unrelated-simultaneous-failures',
    description:
      'geo, profile and reservation fail within a minute of each other for unrelated reasons; they share only their caller.',
    storm: false,
    alerts: Object.values(unrelated).flat(),
    expected: {
      incidents: [
        {
          name: 'geo',
          alertIds: ids(unrelated.geo),
          rootCause: 'component:default/geo',
        },
        {
          name: 'profile',
          alertIds: ids(unrelated.profile),
          rootCause: 'component:default/profile',
        },
        {
          name: 'reservation',
          alertIds: ids(unrelated.reservation),
          rootCause: 'component:default/reservation',
        },
      ],
    },
  },
];
