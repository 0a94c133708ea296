import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import MuiAlert from '@material-ui/lab/Alert';
import type { AiopsNarratorApi } from '@aiops/plugin-aiops-common';
import { useAiopsData } from '../../hooks/useAiopsData';
import { DataCard, Figure } from '../shared/DataCard';
import { timeAgo } from '../shared/format';

type NarratorStatus = AiopsNarratorApi.GetNarratorStatusResponse;
type LlmStatus = AiopsNarratorApi.LlmStatus;

const REASONS: Record<
  NonNullable<LlmStatus['unavailableReason']>,
  (status: LlmStatus) => string
> = {
  'not-configured': () =>
    'No language model is configured (aiops.llm.provider). Narratives are written by the template; incidents, routing and pages do not need a model.',
  'breaker-open': () =>
    'The model failed repeatedly, so calls are paused for a while (circuit breaker open). Narratives fall back to the template meanwhile.',
  'budget-exhausted': status =>
    `This hour's token budget (${formatCount(
      status.budget?.tokensPerHour,
    )}) is used up. Narratives fall back to the template until it frees up.`,
};

const BREAKER_WORDS: Record<LlmStatus['breaker'], string> = {
  closed: 'closed (calls go through)',
  open: 'open (calls paused)',
  'half-open': 'half-open (trying one call)',
  isolated: 'isolated (switched off)',
  none: '—',
};

function formatCount(n: number | undefined): string {
  return n === undefined ? '—' : n.toLocaleString('en-US');
}

/** Costs are fractions of a cent per call: show enough digits to see them move. */
export function formatCost(cost: number, currency: string): string {
  const digits = cost !== 0 && cost < 1 ? 4 : 2;
  return `${cost.toFixed(digits)} ${currency}`;
}

function Usage(props: { llm: LlmStatus }) {
  const { llm } = props;
  const { today, budget } = llm;
  return (
    <Grid container spacing={2}>
      <Grid item xs={6} sm={4}>
        <Figure
          label="Model"
          value={llm.models ? llm.models.chat : llm.provider}
        />
      </Grid>
      <Grid item xs={6} sm={4}>
        <Figure label="Circuit breaker" value={BREAKER_WORDS[llm.breaker]} />
      </Grid>
      <Grid item xs={6} sm={4}>
        <Figure
          label="Budget used this hour"
          value={
            budget
              ? `${formatCount(budget.usedLastHour)} of ${formatCount(
                  budget.tokensPerHour,
                )} tokens`
              : '—'
          }
        />
      </Grid>
      <Grid item xs={6} sm={4}>
        <Figure
          label="Calls today"
          value={
            today
              ? `${formatCount(today.calls)} (${formatCount(
                  today.cacheHits,
                )} cached, ${formatCount(today.failures)} failed)`
              : '—'
          }
        />
      </Grid>
      <Grid item xs={6} sm={4}>
        <Figure
          label="Tokens today"
          value={
            today
              ? `${formatCount(today.tokensIn)} in, ${formatCount(
                  today.tokensOut,
                )} out`
              : '—'
          }
        />
      </Grid>
      <Grid item xs={6} sm={4}>
        <Figure
          label="Cost today (UTC)"
          value={today ? formatCost(today.cost, today.currency) : '—'}
        />
      </Grid>
    </Grid>
  );
}

function RecentCalls(props: { calls: NonNullable<LlmStatus['recent']> }) {
  return (
    <Table size="small" aria-label="Recent model calls">
      <TableHead>
        <TableRow>
          <TableCell>When</TableCell>
          <TableCell>Purpose</TableCell>
          <TableCell>Outcome</TableCell>
          <TableCell align="right">Tokens</TableCell>
          <TableCell align="right">Latency</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.calls.map(call => (
          <TableRow key={`${call.at}-${call.purpose}-${call.outcome}`}>
            <TableCell title={call.at}>{timeAgo(call.at)}</TableCell>
            <TableCell>
              {call.plugin ? `${call.plugin}: ${call.purpose}` : call.purpose}
            </TableCell>
            <TableCell>{call.outcome}</TableCell>
            <TableCell align="right">
              {formatCount(call.tokensIn + call.tokensOut)}
            </TableCell>
            <TableCell align="right">{Math.round(call.latencyMs)} ms</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

const RECENT_SHOWN = 5;

/**
 * The language model the narrator uses: whether it is there, why not, and what it costs today.
 * Platform teams watch the spend here; on-call engineers never need the model to be up.
 */
export function LanguageModelCard() {
  const state = useAiopsData(api => api.getNarratorStatus(), []);
  return (
    <DataCard
      title="Language model"
      subheader="Incident narratives: provider, circuit breaker, budget, tokens and cost today"
      state={state}
    >
      {(status: NarratorStatus) => {
        const llm: LlmStatus = status.llm ?? {
          provider: status.provider,
          available: status.available,
          breaker: 'none',
        };
        const recent = (llm.recent ?? []).slice(0, RECENT_SHOWN);
        return (
          <>
            <Box mb={2}>
              {llm.available ? (
                <MuiAlert severity="success">
                  {`Provider ${llm.provider} is available.`}
                </MuiAlert>
              ) : (
                <MuiAlert
                  severity={
                    llm.unavailableReason === 'not-configured'
                      ? 'info'
                      : 'warning'
                  }
                >
                  {llm.unavailableReason
                    ? REASONS[llm.unavailableReason](llm)
                    : `Provider ${llm.provider} is unavailable.`}
                </MuiAlert>
              )}
            </Box>
            {!status.narrator.enabled && (
              <Box mb={2}>
                <Typography variant="body2" color="textSecondary">
                  The narrator is switched off (aiops.narrator.enabled).
                </Typography>
              </Box>
            )}
            <Usage llm={llm} />
            {recent.length > 0 && (
              <Box mt={2}>
                <RecentCalls calls={recent} />
              </Box>
            )}
          </>
        );
      }}
    </DataCard>
  );
}
