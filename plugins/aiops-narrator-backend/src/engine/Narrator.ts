import { createHash } from 'node:crypto';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EntityRef } from '@aiops/plugin-aiops-common';
import {
  buildNarrativeFacts,
  LlmOutputError,
  llmStatus,
  templateDraft,
  type CatalogEntitySummary,
  type LlmService,
  type NarrativeDraft,
  type NarrativeFacts,
} from '@aiops/plugin-aiops-node';
import type { NarratorConfig } from '../config';
import type {
  NarrativeStore,
  StoredNarrative,
} from '../database/NarrativeStore';
import {
  checkGrounding,
  GROUNDING_RULE_VERSIONS,
  type GroundingContext,
} from '../service/grounding';
import { MalformedAnswerError, parseDraft } from '../service/llm/parseDraft';
import {
  NARRATIVE_RESPONSE_FORMAT,
  rewriteMessages,
} from '../service/llm/prompt';
import type { GroundingResult } from '../service/types';
import type { SuiteClient } from './SuiteClient';

/** The catalog as the narrator reads it: one snapshot per narration. */
export interface CatalogSnapshot {
  get(ref: EntityRef): CatalogEntitySummary | undefined;
  entities(): Iterable<CatalogEntitySummary>;
}

export interface NarratorOptions {
  store: NarrativeStore;
  suite: SuiteClient;
  catalog(expected: EntityRef[]): Promise<CatalogSnapshot>;
  llm: LlmService;
  config: Pick<
    NarratorConfig,
    'deployWindowMs' | 'maxTokens' | 'redactPatterns'
  >;
  logger: LoggerService;
}

export type NarrationOutcome =
  | { incident: 'unknown' }
  | {
      incident: 'known';
      current: StoredNarrative;
      /** What the model pass did: not asked, already asked for these facts, or its verdict. */
      model: 'unavailable' | 'cached' | 'failed' | 'rejected' | 'accepted';
    };

/** The rule a model answer that is not the narrative JSON fails (kept for audit like the others). */
export const ANSWER_FORMAT_RULE = 'answer-format@1';
/** Deployments of at most this many of the incident's entities are read. */
const MAX_DEPLOYMENT_ENTITIES = 10;
/** Past incidents asked of retrieval; the resolved ones with a fix among them are used. */
const PAST_INCIDENTS_ASKED = 5;
/** Shown with a malformed answer in the audit record; the rest is cut. */
const MAX_AUDITED_ANSWER = 2000;

const hashOf = (facts: NarrativeFacts) =>
  createHash('sha256').update(JSON.stringify(facts)).digest('hex');

/** The entities whose deployments may be what changed: the alerting ones and the root cause. */
function deploymentEntities(
  details: NonNullable<Awaited<ReturnType<SuiteClient['incident']>>>,
): EntityRef[] {
  const refs = new Set<EntityRef>();
  if (details.incident.primaryEntityRef)
    refs.add(details.incident.primaryEntityRef);
  for (const link of details.alerts)
    if (link.details?.entityRef) refs.add(link.details.entityRef);
  return [...refs].slice(0, MAX_DEPLOYMENT_ENTITIES);
}

/**
 * Writes an incident's narratives: the template first, always, from the facts correlation,
 * ingest and the catalog give; then, when a model is available, the model's rewrite of the
 * same facts, kept as current only if it passes the grounding check. The narrator only writes
 * narratives: nothing a model answers reaches the incident, its severity or its routing.
 */
export class Narrator {
  /** One narration per incident at a time on this instance. */
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(private readonly options: NarratorOptions) {}

  narrate(
    incidentId: string,
    options: { force?: boolean } = {},
  ): Promise<NarrationOutcome> {
    const previous = this.running.get(incidentId) ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(() => this.narrateNow(incidentId, options.force ?? false));
    this.running.set(incidentId, run);
    const forget = () => {
      if (this.running.get(incidentId) === run) this.running.delete(incidentId);
    };
    run.then(forget, forget);
    return run;
  }

  private async narrateNow(
    incidentId: string,
    force: boolean,
  ): Promise<NarrationOutcome> {
    const { store, suite, logger } = this.options;
    const details = await suite.incident(incidentId);
    if (!details) return { incident: 'unknown' };

    const entityRefs = deploymentEntities(details);
    const [catalog, deployments, pastIncidents] = await Promise.all([
      this.options.catalog(entityRefs),
      this.deployments(details.incident.openedAt, entityRefs),
      this.pastIncidents(incidentId),
    ]);
    const facts = buildNarrativeFacts({
      details,
      deployments,
      pastIncidents,
      catalog: ref => catalog.get(ref),
      deployWindowMs: this.options.config.deployWindowMs,
    });
    const context: GroundingContext = {
      knownEntities: [...catalog.entities()].map(e => ({
        ref: e.entityRef,
        name: e.name,
        ...(e.title && { title: e.title }),
      })),
    };
    const inputHash = hashOf(facts);

    // The template: written whenever the facts changed (a regeneration too reuses it, being
    // deterministic), and shown whatever a model does.
    const draft = templateDraft(facts);
    const template =
      (await store.findByInput(incidentId, inputHash, 'template')) ||
      (await store.add({
        ...draft,
        incidentId,
        generatedBy: 'template',
        grounding: checkGrounding(draft, facts, context),
        accepted: true,
        inputHash,
      }));

    const outcome = async (
      model: Extract<NarrationOutcome, { incident: 'known' }>['model'],
    ): Promise<NarrationOutcome> => ({
      incident: 'known',
      current: (await store.current(incidentId)) ?? template,
      model,
    });
    if (!this.options.llm.available()) return outcome('unavailable');
    if (!force && (await store.findByInput(incidentId, inputHash, 'model')))
      return outcome('cached');

    let answer: { content: string; model: string };
    try {
      answer = await this.options.llm.chat({
        messages: rewriteMessages(facts, draft, {
          patterns: this.options.config.redactPatterns,
        }),
        json: true,
        responseFormat: NARRATIVE_RESPONSE_FORMAT,
        maxTokens: this.options.config.maxTokens,
        purpose: 'aiops-narrator',
      });
    } catch (error) {
      // An answer that is not JSON is audited like one that is not grounded.
      if (error instanceof LlmOutputError)
        answer = {
          content: error.content,
          model: llmStatus(this.options.llm).models?.chat ?? 'unknown model',
        };
      else {
        logger.warn(
          `Narrative of incident ${incidentId}: the model did not answer, the template stays: ${error}`,
        );
        return outcome('failed');
      }
    }

    const { rewrite, grounding } = this.check(answer.content, facts, context);
    await store.add({
      ...rewrite,
      incidentId,
      generatedBy: answer.model,
      grounding,
      accepted: grounding.passed,
      inputHash,
    });
    if (!grounding.passed)
      logger.info(
        `Narrative of incident ${incidentId} by ${answer.model} rejected by the grounding check (${grounding.rejected.length} claims); the template stays`,
      );
    return outcome(grounding.passed ? 'accepted' : 'rejected');
  }

  /** The model's answer as a draft with its verdict; an answer that is no draft is rejected whole. */
  private check(
    content: string,
    facts: NarrativeFacts,
    context: GroundingContext,
  ): { rewrite: NarrativeDraft; grounding: GroundingResult } {
    try {
      const rewrite = parseDraft(content);
      return { rewrite, grounding: checkGrounding(rewrite, facts, context) };
    } catch (error) {
      if (!(error instanceof MalformedAnswerError)) throw error;
      const text = content.slice(0, MAX_AUDITED_ANSWER);
      return {
        rewrite: {
          summary: text,
          impact: '',
          probableCause: '',
          evidence: [],
          whatChanged: [],
          suggestedActions: [],
        },
        grounding: {
          passed: false,
          rejected: [
            {
              section: 'summary',
              text,
              problems: [{ rule: ANSWER_FORMAT_RULE, message: error.message }],
            },
          ],
          rules: [...GROUNDING_RULE_VERSIONS, ANSWER_FORMAT_RULE].sort(),
        },
      };
    }
  }

  /** Past incidents retrieval finds like this one; none when retrieval fails or is absent. */
  private async pastIncidents(incidentId: string) {
    try {
      return await this.options.suite.similar(incidentId, PAST_INCIDENTS_ASKED);
    } catch (error) {
      this.options.logger.warn(
        `Narrator could not read similar past incidents from retrieval; narrating without them: ${error}`,
      );
      return [];
    }
  }

  /** Deployments of the incident's entities in the window before it; none when ingest fails. */
  private async deployments(openedAt: string, entityRefs: EntityRef[]) {
    const from = new Date(
      Date.parse(openedAt) - this.options.config.deployWindowMs,
    ).toISOString();
    try {
      return await this.options.suite.deployments(entityRefs, from);
    } catch (error) {
      this.options.logger.warn(
        `Narrator could not read deployments from ingest; narrating without them: ${error}`,
      );
      return [];
    }
  }
}
