import { SEVERITIES } from './types';
import type * as domain from './types';
import type { Feed, IncidentQuery, Page } from './api';
import {
  AiopsCorrelationApi,
  AiopsIngestApi,
} from './schema/openapi/generated';

/*
 * The domain types in `types.ts` and the generic pages and feeds in `api.ts` are written by
 * hand; the specs describe the same shapes. These checks are types: when one side gains, drops
 * or retypes a field, `tsc` fails here. (Each side must be assignable to the other, and the two
 * must have the same top-level fields, so an optional field added on one side fails too.)
 */
type Same<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? [keyof A] extends [keyof B]
      ? [keyof B] extends [keyof A]
        ? true
        : false
      : false
    : false
  : false;
/** Compiles only with `true`, that is when A and B are the same type. */
const same = <A, B>(proof: Same<A, B>) => proof;

const domainTypesAreTheSpecs = [
  same<domain.Severity, AiopsCorrelationApi.Severity>(true),
  same<domain.Severity, AiopsIngestApi.Severity>(true),
  same<domain.IncidentStatus, AiopsCorrelationApi.IncidentStatus>(true),
  same<domain.EvidenceKind, AiopsCorrelationApi.EvidenceKind>(true),
  same<domain.Evidence, AiopsCorrelationApi.Evidence>(true),
  same<domain.Finding, AiopsCorrelationApi.Finding>(true),
  same<domain.RootCauseCandidate, AiopsCorrelationApi.RootCauseCandidate>(true),
  same<domain.Incident, AiopsCorrelationApi.Incident>(true),
  same<domain.IncidentResolution, AiopsCorrelationApi.IncidentResolution>(true),
  same<domain.TimelineEntryKind, AiopsCorrelationApi.TimelineEntryKind>(true),
  same<
    domain.TimelineEntry,
    Omit<AiopsCorrelationApi.TimelineEntry, 'id' | 'action'>
  >(true),
  same<domain.AlertStatus, AiopsCorrelationApi.AlertStatus>(true),
  same<domain.AlertSource, AiopsIngestApi.AlertSource>(true),
  same<domain.EntityResolution, AiopsIngestApi.EntityResolution>(true),
  same<domain.Alert, AiopsIngestApi.Alert>(true),
  same<domain.Alert, AiopsCorrelationApi.Alert>(true),
  same<domain.DeploymentSource, AiopsIngestApi.DeploymentSource>(true),
  same<domain.DeploymentStatus, AiopsIngestApi.DeploymentStatus>(true),
  same<domain.Deployment, AiopsIngestApi.Deployment>(true),
  same<domain.Deployment, AiopsCorrelationApi.Deployment>(true),
];

const pagesAndFeedsAreTheSpecs = [
  same<Page<domain.Incident>, AiopsCorrelationApi.ListIncidentsResponse>(true),
  same<
    Page<AiopsCorrelationApi.Silence>,
    AiopsCorrelationApi.ListSilencesResponse
  >(true),
  same<
    Page<AiopsCorrelationApi.Delivery>,
    AiopsCorrelationApi.ListNotificationsResponse
  >(true),
  same<
    Feed<AiopsCorrelationApi.IncidentChangeFeedItem>,
    AiopsCorrelationApi.ChangeFeed
  >(true),
  same<Page<domain.Alert>, AiopsIngestApi.AlertPage>(true),
  same<Feed<domain.Alert>, AiopsIngestApi.AlertFeed>(true),
  same<Page<domain.Deployment>, AiopsIngestApi.DeploymentPage>(true),
  same<Feed<domain.Deployment>, AiopsIngestApi.DeploymentFeed>(true),
  // The incident query takes the spec's parameters, no more and no fewer.
  same<keyof IncidentQuery, keyof AiopsCorrelationApi.ListIncidentsQuery>(true),
];

describe('the API contract', () => {
  it('is what the specs say (checked by tsc)', () => {
    expect([
      ...domainTypesAreTheSpecs,
      ...pagesAndFeedsAreTheSpecs,
    ]).not.toContain(false);
  });

  it('lists the severities in the specs in the domain order', () => {
    expect(AiopsCorrelationApi.SeverityValues).toEqual(SEVERITIES);
    expect(AiopsIngestApi.SeverityValues).toEqual(SEVERITIES);
  });
});
