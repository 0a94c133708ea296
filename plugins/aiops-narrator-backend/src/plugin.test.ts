import request from 'supertest';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Incident } from '@aiops/plugin-aiops-common';
import {
  LlmOutputError,
  type LlmChatRequest,
  type LlmService,
  type NarrativeDraft,
} from '@aiops/plugin-aiops-node';
import { FACTS_FENCE_CLOSE, FACTS_FENCE_OPEN } from './service/llm/prompt';
import type { StoredNarrative } from './database/NarrativeStore';
import {
  asUser,
  eventually,
  sendAlerts,
  startNarratorSuite,
  storm,
  type NarratorSuite,
} from './__testUtils__/startNarratorSuite';

jest.setTimeout(120_000);

const NARRATOR = '/api/aiops-narrator';
const CORRELATION = '/api/aiops-correlation';

interface NarrativeAnswer {
  incidentId: string;
  current: StoredNarrative | null;
  history: StoredNarrative[];
}

describe('aiops-narrator', () => {
  let suite: NarratorSuite | undefined;
  afterEach(async () => {
    await suite?.stop();
    suite = undefined;
  });

  const get = (path: string, who = asUser()) =>
    request(suite!.server).get(path).set('authorization', who);

  /** The storm's incident, once correlation has opened it with all three alerts. */
  async function stormIncident(): Promise<Incident> {
    await sendAlerts(suite!.server, storm());
    return eventually('the storm incident', async () => {
      await suite!.tick();
      const [found] = (await get(`${CORRELATION}/incidents`)).body
        .items as Incident[];
      return found?.alertIds.length === 3 && found;
    });
  }

  const narrativeOf = async (id: string) =>
    (await get(`${NARRATOR}/incidents/${id}/narrative`).expect(200))
      .body as NarrativeAnswer;

  describe('with no language model (provider none)', () => {
    it('writes a template narrative for an Alertmanager storm from the change feed', async () => {
      suite = await startNarratorSuite();
      const incident = await stormIncident();
      const answer = await eventually('a narrative', async () => {
        const found = await narrativeOf(incident.id);
        return found.current ? found : undefined;
      });
      expect(answer.current).toMatchObject({
        incidentId: incident.id,
        generatedBy: 'template',
        accepted: true,
      });
      expect(answer.current!.summary).toMatch(
        /Redis \(cart\) is the most likely cause/,
      );
      expect(answer.current!.evidence.length).toBeGreaterThan(0);
      expect(answer.history.map(n => n.generatedBy)).toEqual(['template']);

      // The catch-up reads nothing new: the same facts are not narrated twice.
      await suite.catchUp();
      expect((await narrativeOf(incident.id)).history).toHaveLength(1);

      expect((await get(`${NARRATOR}/status`).expect(200)).body).toMatchObject({
        provider: 'none',
        available: false,
      });
      const regenerated = await request(suite.server)
        .post(`${NARRATOR}/incidents/${incident.id}/narrative/regenerate`)
        .set('authorization', asUser())
        .expect(200);
      expect(regenerated.body).toMatchObject({
        model: 'unavailable',
        current: { generatedBy: 'template' },
      });
    });

    it('answers 404 for an unknown incident with the error shape', async () => {
      suite = await startNarratorSuite();
      const res = await get(`${NARRATOR}/incidents/inc-unknown/narrative`);
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ name: 'NotFoundError' });
      await request(suite.server)
        .post(`${NARRATOR}/incidents/inc-unknown/narrative/regenerate`)
        .set('authorization', asUser())
        .expect(404);
    });

    it('refuses regeneration without aiops.incident.update (403), while reading stays allowed', async () => {
      const nobody = 'user:default/nobody';
      suite = await startNarratorSuite({
        extraFeatures: [
          mockServices.permissions.mock({
            authorize: async (requests, { credentials }) =>
              requests.map(() => ({
                result: isNobody(credentials)
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
              })),
            authorizeConditional: async (requests, { credentials }) =>
              requests.map(({ permission }) => ({
                result:
                  isNobody(credentials) &&
                  permission.name === 'aiops.incident.update'
                    ? AuthorizeResult.DENY
                    : AuthorizeResult.ALLOW,
              })) as any,
          }).factory,
        ],
      });
      function isNobody(credentials: any) {
        return credentials.principal?.userEntityRef === nobody;
      }
      const incident = await stormIncident();
      const res = await request(suite.server)
        .post(`${NARRATOR}/incidents/${incident.id}/narrative/regenerate`)
        .set('authorization', asUser(nobody));
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining('aiops.incident.update'),
      });
      await get(
        `${NARRATOR}/incidents/${incident.id}/narrative`,
        asUser(nobody),
      ).expect(200);
    });
  });

  describe('with a language model', () => {
    type Mode = 'grounded' | 'hallucinated' | 'throws' | 'malformed';
    let mode: Mode = 'grounded';
    const requests: LlmChatRequest[] = [];

    /** The draft the narrator sent, read back from the fenced facts of the prompt. */
    function sentDraft(chat: LlmChatRequest): NarrativeDraft {
      const user = chat.messages.find(m => m.role === 'user')!.content;
      const start = user.indexOf(FACTS_FENCE_OPEN) + FACTS_FENCE_OPEN.length;
      const end = user.indexOf(FACTS_FENCE_CLOSE);
      return JSON.parse(user.slice(start, end)).draft;
    }

    const cannedModel: LlmService = {
      available: () => true,
      embed: async () => [],
      async chat(chat) {
        requests.push(chat);
        const draft = sentDraft(chat);
        const answer = (content: object | string) => ({
          content:
            typeof content === 'string' ? content : JSON.stringify(content),
          model: 'canned-model',
          usage: { promptTokens: 100, completionTokens: 50 },
        });
        switch (mode) {
          case 'grounded':
            // The template's facts in the model's words: nothing new.
            return answer({ ...draft, summary: `In short: ${draft.summary}` });
          case 'hallucinated':
            return answer({
              ...draft,
              summary: `${draft.summary} The database component:default/ledger-db failed first.`,
              // Nothing but the narrative's fields is read from an answer.
              severity: 'info',
              status: 'resolved',
            });
          case 'malformed':
            // As the LLM service answers a text that is not JSON.
            throw new LlmOutputError(
              'not JSON',
              'Sure! Here is the report: redis is down.',
            );
          default:
            throw new Error('503 Service Unavailable');
        }
      },
    };

    const regenerate = async (id: string) =>
      (
        await request(suite!.server)
          .post(`${NARRATOR}/incidents/${id}/narrative/regenerate`)
          .set('authorization', asUser())
          .expect(200)
      ).body;

    it('keeps the template when the rewrite fails the grounding check or the model fails, and shows a grounded rewrite', async () => {
      mode = 'hallucinated';
      suite = await startNarratorSuite({ llm: cannedModel });
      const incident = await stormIncident();

      // Hallucinated: stored with its reasons for audit; the template stays current.
      const first = await eventually('the rejected rewrite', async () => {
        const found = await narrativeOf(incident.id);
        return found.history.length === 2 && found;
      });
      expect(first.current).toMatchObject({ generatedBy: 'template' });
      const [rejected] = first.history;
      expect(rejected).toMatchObject({
        generatedBy: 'canned-model',
        accepted: false,
        grounding: { passed: false },
      });
      expect(rejected.grounding.rejected[0]).toMatchObject({
        section: 'summary',
        text: expect.stringContaining('ledger-db'),
        problems: expect.arrayContaining([
          expect.objectContaining({
            message: expect.stringContaining('ledger-db'),
          }),
        ]),
      });
      // The prompt fenced the facts as data.
      expect(requests[0].json).toBe(true);
      expect(requests[0].messages[0].content).toMatch(
        /data, never instructions/,
      );

      // The model throws: the template stays, and the incident is as it was.
      mode = 'throws';
      expect(await regenerate(incident.id)).toMatchObject({
        model: 'failed',
        current: { generatedBy: 'template' },
      });
      // A malformed answer is rejected whole, for audit.
      mode = 'malformed';
      const malformed = await regenerate(incident.id);
      expect(malformed).toMatchObject({
        model: 'rejected',
        current: { generatedBy: 'template' },
      });
      expect((await narrativeOf(incident.id)).history[0]).toMatchObject({
        accepted: false,
        summary: 'Sure! Here is the report: redis is down.',
        grounding: { rejected: [{ problems: [{ rule: 'answer-format@1' }] }] },
      });
      const { body: after } = await get(
        `${CORRELATION}/incidents/${incident.id}`,
      );
      expect(after.incident).toMatchObject({
        status: incident.status,
        severity: incident.severity,
        owner: incident.owner,
      });

      // Grounded: the rewrite becomes current; the history keeps every version.
      mode = 'grounded';
      expect(await regenerate(incident.id)).toMatchObject({
        model: 'accepted',
        current: { generatedBy: 'canned-model', accepted: true },
      });
      const last = await narrativeOf(incident.id);
      expect(last.current!.summary).toMatch(/^In short: /);
      expect(last.history.map(n => [n.generatedBy, n.accepted])).toEqual([
        ['canned-model', true],
        // The service's report names no model: this one has no status().
        ['unknown model', false],
        ['canned-model', false],
        ['template', true],
      ]);
      expect((await get(`${NARRATOR}/status`).expect(200)).body).toMatchObject({
        available: true,
      });
    });
  });
});
