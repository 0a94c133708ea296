import type { NarrativeClaim, NarrativeDraft } from '@aiops/plugin-aiops-node';

/** A model's answer that is not the narrative JSON asked for. */
export class MalformedAnswerError extends Error {
  name = 'MalformedAnswerError';
}

const LIMITS = { list: 30, ids: 30 };

function text(value: unknown, field: string): string {
  if (typeof value !== 'string')
    throw new MalformedAnswerError(`${field} is not a string`);
  return value;
}

function texts(value: unknown, field: string): string[] {
  if (!Array.isArray(value))
    throw new MalformedAnswerError(`${field} is not a list`);
  return value.slice(0, LIMITS.list).map((v, i) => text(v, `${field}[${i}]`));
}

function claims(value: unknown): NarrativeClaim[] {
  if (!Array.isArray(value))
    throw new MalformedAnswerError('evidence is not a list');
  return value.slice(0, LIMITS.list).map((v, i) => {
    const claim = (v ?? {}) as Record<string, unknown>;
    return {
      claim: text(claim.claim, `evidence[${i}].claim`),
      evidenceIds: texts(
        claim.evidenceIds ?? [],
        `evidence[${i}].evidenceIds`,
      ).slice(0, LIMITS.ids),
    };
  });
}

/** The JSON object in a model's answer (a fenced code block is tolerated). */
function jsonOf(content: string): unknown {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end < start)
    throw new MalformedAnswerError('the answer holds no JSON object');
  try {
    return JSON.parse(content.slice(start, end + 1));
  } catch (error) {
    throw new MalformedAnswerError(
      `the answer is not JSON: ${(error as Error).message}`,
    );
  }
}

/**
 * A model's answer as a narrative draft, field by field; only the narrative's fields are read,
 * so nothing else the answer carries (a severity, a status) can reach anything.
 */
export function parseDraft(content: string): NarrativeDraft {
  const answer = jsonOf(content);
  if (!answer || typeof answer !== 'object' || Array.isArray(answer))
    throw new MalformedAnswerError('the answer is not a JSON object');
  const a = answer as Record<string, unknown>;
  return {
    summary: text(a.summary, 'summary'),
    impact: text(a.impact, 'impact'),
    probableCause: text(a.probableCause, 'probableCause'),
    evidence: claims(a.evidence),
    whatChanged: texts(a.whatChanged ?? [], 'whatChanged'),
    suggestedActions: texts(a.suggestedActions ?? [], 'suggestedActions'),
  };
}
