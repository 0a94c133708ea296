import { useState } from 'react';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Link from '@material-ui/core/Link';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { AiopsNarratorApi, Evidence } from '@aiops/plugin-aiops-common';
import { aiopsApiRef } from '../../api/AiopsApi';
import { useAiopsData } from '../../hooks/useAiopsData';
import { errorMessage } from '../shared';
import { EvidenceChips } from './Evidence';
import { Timestamp } from './Timestamp';

type StoredNarrative = AiopsNarratorApi.StoredNarrative;

/** `kind:namespace/name`, the form the narrator cites entities and owners in. */
const ENTITY_REF = /^[a-z][\w-]*:[\w.-]+\/[\w.-]+$/i;

/**
 * A claim's evidence ids, split into those the page can link to (alerts listed on it,
 * catalog entities) and the rest (findings, deployments, regressions, runbooks), which the
 * narrator cites by id only and which are shown as they are.
 */
export function claimEvidence(
  evidenceIds: string[],
  alertIds: ReadonlySet<string>,
): { linked: Evidence[]; other: string[] } {
  const linked: Evidence[] = [];
  const other: string[] = [];
  for (const id of evidenceIds) {
    if (alertIds.has(id)) linked.push({ kind: 'alert', id });
    else if (ENTITY_REF.test(id)) linked.push({ kind: 'entity', id });
    else other.push(id);
  }
  return { linked, other };
}

/**
 * The newest model rewrite, when the grounding check rejected it: the template (or an older
 * rewrite) is shown instead, and the reader should know why. `history` is newest first.
 */
export function rejectedRewrite(
  history: StoredNarrative[],
): StoredNarrative | undefined {
  const latest = history.find(n => n.generatedBy !== 'template');
  return latest && !latest.accepted ? latest : undefined;
}

function reasonsOf(narrative: StoredNarrative): string[] {
  return narrative.grounding.rejected.flatMap(r =>
    r.problems.map(p => `${r.section}: “${r.text}” — ${p.message}`),
  );
}

function Section(props: { title: string; children: React.ReactNode }) {
  return (
    <Box mt={2}>
      <Typography variant="overline" color="textSecondary" component="h3">
        {props.title}
      </Typography>
      {props.children}
    </Box>
  );
}

function Lines(props: { items: string[] }) {
  return (
    <List dense disablePadding>
      {props.items.map((item, index) => (
        <ListItem key={index} disableGutters>
          <Typography variant="body2">{item}</Typography>
        </ListItem>
      ))}
    </List>
  );
}

function RejectedNote(props: { narrative: StoredNarrative }) {
  const [open, setOpen] = useState(false);
  const reasons = reasonsOf(props.narrative);
  return (
    <Box mt={2}>
      <Typography variant="caption" color="textSecondary">
        A model rewrite was rejected by the grounding check.{' '}
        {reasons.length > 0 && (
          <Link component="button" onClick={() => setOpen(!open)}>
            {open ? 'Hide reasons' : 'Show reasons'}
          </Link>
        )}
      </Typography>
      {open && <Lines items={reasons} />}
    </Box>
  );
}

function Narrative(props: {
  narrative: StoredNarrative;
  alertIds: ReadonlySet<string>;
}) {
  const { narrative, alertIds } = props;
  return (
    <>
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <Chip
          size="small"
          label={
            narrative.generatedBy === 'template'
              ? 'Template'
              : narrative.generatedBy
          }
        />
        <Typography variant="caption" color="textSecondary">
          written <Timestamp at={narrative.createdAt} />
        </Typography>
      </Box>
      <Box mt={1}>
        <Typography variant="body1">{narrative.summary}</Typography>
      </Box>
      <Section title="Impact">
        <Typography variant="body2">{narrative.impact}</Typography>
      </Section>
      <Section title="Probable cause">
        <Typography variant="body2">{narrative.probableCause}</Typography>
      </Section>
      {narrative.whatChanged.length > 0 && (
        <Section title="What changed">
          <Lines items={narrative.whatChanged} />
        </Section>
      )}
      {narrative.suggestedActions.length > 0 && (
        <Section title="Suggested actions">
          <Lines items={narrative.suggestedActions} />
        </Section>
      )}
      {narrative.evidence.length > 0 && (
        <Section title="Evidence">
          <List dense disablePadding>
            {narrative.evidence.map((claim, index) => {
              const { linked, other } = claimEvidence(
                claim.evidenceIds,
                alertIds,
              );
              return (
                <ListItem key={index} disableGutters divider>
                  <div>
                    <Typography variant="body2">{claim.claim}</Typography>
                    <EvidenceChips evidence={linked} alertIds={alertIds} />
                    {other.map(id => (
                      <Chip
                        key={id}
                        size="small"
                        variant="outlined"
                        label={id}
                        style={{ marginTop: 4, marginRight: 4 }}
                      />
                    ))}
                  </div>
                </ListItem>
              );
            })}
          </List>
        </Section>
      )}
    </>
  );
}

/**
 * The incident told as a report by aiops-narrator. The narrator is optional and never on the
 * critical path: when it is not installed, unreachable or has written nothing yet, the card
 * says so quietly and the rest of the page is unaffected.
 */
export function NarrativeCard(props: {
  incidentId: string;
  alertIds: ReadonlySet<string>;
}) {
  const { incidentId, alertIds } = props;
  const api = useApi(aiopsApiRef);
  const [revision, setRevision] = useState(0);
  const [running, setRunning] = useState(false);
  const [failure, setFailure] = useState<string>();
  const state = useAiopsData(
    a => a.getIncidentNarrative(incidentId),
    [incidentId, revision],
  );

  const regenerate = async () => {
    setRunning(true);
    setFailure(undefined);
    try {
      await api.regenerateIncidentNarrative(incidentId);
      setRevision(r => r + 1);
    } catch (error) {
      setFailure(`Could not regenerate the narrative: ${errorMessage(error)}`);
    } finally {
      setRunning(false);
    }
  };

  const current = state.value?.current;
  const rejected = rejectedRewrite(state.value?.history ?? []);
  let body: JSX.Element;
  if (state.loading && !state.value && !state.error) {
    body = <Progress />;
  } else if (!current) {
    body = (
      <Typography variant="body2" color="textSecondary">
        No narrative yet.
      </Typography>
    );
  } else {
    body = <Narrative narrative={current} alertIds={alertIds} />;
  }

  return (
    <InfoCard title="Narrative" variant="gridItem">
      {body}
      {current && rejected && <RejectedNote narrative={rejected} />}
      {failure && (
        <Box mt={2}>
          <Alert severity="error">{failure}</Alert>
        </Box>
      )}
      {!state.error && (
        <Box mt={2}>
          <Button
            variant="outlined"
            size="small"
            disabled={running}
            onClick={regenerate}
          >
            {running ? 'Regenerating…' : 'Regenerate'}
          </Button>
        </Box>
      )}
    </InfoCard>
  );
}
