import { useId, useState, type FormEvent } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import IconButton from '@material-ui/core/IconButton';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import DeleteIcon from '@material-ui/icons/Delete';
import MuiAlert from '@material-ui/lab/Alert';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  Silence,
  SilenceMatcherSpec,
  SilenceSpec,
} from '@aiops/plugin-aiops-common';
import { aiopsApiRef } from '../../api/AiopsApi';
import { errorMessage } from '../shared/format';

type MatcherRow = Required<SilenceMatcherSpec>;
const OPERATORS: MatcherRow['op'][] = ['=', '!=', '=~'];
const HOUR_MS = 60 * 60 * 1000;

/** `YYYY-MM-DDTHH:mm` in UTC, what a `datetime-local` input holds. */
function toUtcInput(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16);
}

/** The input's value (`HH:mm`, or `HH:mm:ss` in some browsers) read as UTC; the backend wants a zone. */
function fromUtcInput(value: string): string {
  return value.length === 16 ? `${value}:00Z` : `${value}Z`;
}

function emptyMatcher(): MatcherRow {
  return { name: '', op: '=', value: '' };
}

/**
 * Creates a silence. Times are entered in UTC because windows and RRULEs are evaluated in UTC;
 * the backend checks the rest (RRULE, window length, matchers) and its 400 message is shown here.
 */
export function SilenceForm(props: {
  onCreated: (silence: Silence) => void;
  onCancel: () => void;
}) {
  const api = useApi(aiopsApiRef);
  const id = useId();
  const [matchers, setMatchers] = useState<MatcherRow[]>([emptyMatcher()]);
  const [startsAt, setStartsAt] = useState(() => toUtcInput(Date.now()));
  const [endsAt, setEndsAt] = useState(() =>
    toUtcInput(Date.now() + 2 * HOUR_MS),
  );
  const [rrule, setRrule] = useState('');
  const [comment, setComment] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string>();

  const setMatcher = (index: number, change: Partial<MatcherRow>) =>
    setMatchers(rows =>
      rows.map((row, i) => (i === index ? { ...row, ...change } : row)),
    );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const spec: SilenceSpec = {
      matchers: matchers
        // Rows left blank are not meant; half-filled ones go to the backend, which names the problem.
        .filter(row => row.name.trim() || row.value)
        .map(row => ({ name: row.name.trim(), op: row.op, value: row.value })),
      startsAt: fromUtcInput(startsAt),
      endsAt: fromUtcInput(endsAt),
      ...(rrule.trim() ? { rrule: rrule.trim() } : {}),
      comment: comment.trim(),
    };
    setSubmitting(true);
    setError(undefined);
    try {
      props.onCreated(await api.createSilence(spec));
    } catch (e) {
      setError(errorMessage(e));
      setSubmitting(false);
    }
  };

  return (
    <InfoCard title="New silence">
      <form onSubmit={submit} aria-label="New silence">
        <Typography variant="subtitle2" gutterBottom>
          Matchers (all must match; <code>entity</code> is the resolved entity
          ref, anything else an alert label)
        </Typography>
        {matchers.map((row, index) => (
          <Grid container spacing={2} alignItems="center" key={index}>
            <Grid item xs={4}>
              <TextField
                label="Name"
                placeholder="entity or a label"
                id={`${id}-matcher-${index}-name`}
                fullWidth
                value={row.name}
                onChange={e => setMatcher(index, { name: e.target.value })}
                inputProps={{ 'aria-label': `Matcher ${index + 1} name` }}
              />
            </Grid>
            <Grid item xs={2}>
              <TextField
                select
                label="Operator"
                id={`${id}-matcher-${index}-op`}
                fullWidth
                value={row.op}
                onChange={e =>
                  setMatcher(index, {
                    op: e.target.value as MatcherRow['op'],
                  })
                }
                SelectProps={{ native: true }}
                inputProps={{ 'aria-label': `Matcher ${index + 1} operator` }}
              >
                {OPERATORS.map(op => (
                  <option key={op} value={op}>
                    {op}
                  </option>
                ))}
              </TextField>
            </Grid>
            <Grid item xs={5}>
              <TextField
                label="Value"
                id={`${id}-matcher-${index}-value`}
                fullWidth
                value={row.value}
                onChange={e => setMatcher(index, { value: e.target.value })}
                inputProps={{ 'aria-label': `Matcher ${index + 1} value` }}
              />
            </Grid>
            <Grid item xs={1}>
              <IconButton
                aria-label={`Remove matcher ${index + 1}`}
                disabled={matchers.length === 1}
                onClick={() =>
                  setMatchers(rows => rows.filter((_, i) => i !== index))
                }
              >
                <DeleteIcon />
              </IconButton>
            </Grid>
          </Grid>
        ))}
        <Box mt={1} mb={2}>
          <Button
            size="small"
            onClick={() => setMatchers(rows => [...rows, emptyMatcher()])}
          >
            Add matcher
          </Button>
        </Box>
        <Grid container spacing={2}>
          <Grid item xs={12} sm={6}>
            <TextField
              label="Start (UTC)"
              id={`${id}-starts-at`}
              type="datetime-local"
              fullWidth
              required
              value={startsAt}
              onChange={e => setStartsAt(e.target.value)}
              InputLabelProps={{ shrink: true }}
              helperText="Start of the first window"
            />
          </Grid>
          <Grid item xs={12} sm={6}>
            <TextField
              label="End (UTC)"
              id={`${id}-ends-at`}
              type="datetime-local"
              fullWidth
              required
              value={endsAt}
              onChange={e => setEndsAt(e.target.value)}
              InputLabelProps={{ shrink: true }}
              helperText="End of the first window; every window lasts as long"
            />
          </Grid>
          <Grid item xs={12}>
            <TextField
              label="Recurrence (RRULE, optional)"
              id={`${id}-rrule`}
              fullWidth
              value={rrule}
              onChange={e => setRrule(e.target.value)}
              placeholder="FREQ=WEEKLY;BYDAY=SU"
              helperText="RFC 5545, evaluated in UTC; the start must be its first occurrence. Leave empty for one window."
            />
          </Grid>
          <Grid item xs={12}>
            <TextField
              label="Comment"
              id={`${id}-comment`}
              fullWidth
              required
              multiline
              minRows={2}
              value={comment}
              onChange={e => setComment(e.target.value)}
              helperText="Why, and a change ticket if there is one"
            />
          </Grid>
        </Grid>
        {error && (
          <Box mt={2}>
            <MuiAlert severity="error">{error}</MuiAlert>
          </Box>
        )}
        <Box mt={2} display="flex" gridGap={8}>
          <Button
            type="submit"
            variant="contained"
            color="primary"
            disabled={submitting || !comment.trim()}
          >
            Create silence
          </Button>
          <Button onClick={props.onCancel} disabled={submitting}>
            Cancel
          </Button>
        </Box>
      </form>
    </InfoCard>
  );
}
