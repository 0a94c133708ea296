import { useState } from 'react';
import {
  InfoCard,
  type InfoCardVariants,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import type { AiopsRegressionApi } from '@aiops/plugin-aiops-common';
import { aiopsApiRef } from '../../api/AiopsApi';
import { useAiopsData } from '../../hooks/useAiopsData';
import { errorMessage, optionalBackendProblem, timeAgo } from '../shared';
import { RegressionChart, useRegressionSeries } from './RegressionChart';
import { formatChange, formatPValue } from './regressionText';

type Regression = AiopsRegressionApi.Regression;

/** What the card lists: what still needs someone, or someone is on. */
const SHOWN_STATUSES: Regression['status'][] = ['active', 'acknowledged'];

/** Says the regression detector is absent or failed, in the card's own words. */
export function regressionsProblem(error: Error): string {
  return optionalBackendProblem(
    error,
    'Regression detection (aiops-regression)',
    'load regressions',
  );
}

const useStyles = makeStyles(theme => ({
  item: {
    paddingBottom: theme.spacing(2),
    marginBottom: theme.spacing(2),
    borderBottom: `1px solid ${theme.palette.divider}`,
    '&:last-child': { borderBottom: 'none', marginBottom: 0 },
  },
  heading: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  code: { fontFamily: 'monospace' },
  actions: {
    display: 'flex',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
  },
}));

export interface EntityRegressionsCardProps {
  variant?: InfoCardVariants;
}

/**
 * The entity's active and acknowledged metric regressions from aiops-regression, each with its
 * metric around the change. The detector is optional: absent or failing, the card says so in a
 * line and the page is unaffected.
 */
export function EntityRegressionsCard(props: EntityRegressionsCardProps) {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const state = useAiopsData(
    api => api.listRegressions({ entityRef, status: SHOWN_STATUSES }),
    [entityRef],
  );

  let body: JSX.Element;
  if (state.value) {
    body = state.value.items.length ? (
      <div>
        {state.value.items.map(regression => (
          <RegressionItem
            key={regression.id}
            regression={regression}
            onChanged={state.retry}
          />
        ))}
      </div>
    ) : (
      <Typography variant="body2" color="textSecondary">
        No regressions detected.
      </Typography>
    );
  } else if (state.error) {
    body = (
      <Typography variant="body2" color="textSecondary">
        {regressionsProblem(state.error)}
      </Typography>
    );
  } else {
    body = <Progress />;
  }
  return (
    <InfoCard title="Regressions" variant={props.variant}>
      {body}
    </InfoCard>
  );
}

function RegressionItem(props: {
  regression: Regression;
  onChanged: () => void;
}) {
  const { regression, onChanged } = props;
  const classes = useStyles();
  const api = useApi(aiopsApiRef);
  const series = useRegressionSeries(regression);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();

  const linkedDeploy =
    regression.deploymentId &&
    (series.value?.deployments.find(d => d.id === regression.deploymentId)
      ?.version ??
      regression.deploymentId);

  const act = async (name: 'acknowledge' | 'dismiss') => {
    setBusy(true);
    setFailure(undefined);
    try {
      await (name === 'acknowledge'
        ? api.acknowledgeRegression(regression.id)
        : api.dismissRegression(regression.id));
      onChanged();
    } catch (e) {
      setFailure(`Could not ${name}: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box
      className={classes.item}
      role="group"
      aria-label={`${regression.metric} regression`}
    >
      <div className={classes.heading}>
        <Typography
          variant="subtitle2"
          component="span"
          className={classes.code}
        >
          {regression.metric}
        </Typography>
        <Typography variant="subtitle2" component="span">
          {regression.direction === 'increase' ? 'rose' : 'fell'}{' '}
          {formatChange(regression)}
        </Typography>
        <Chip size="small" label={regression.status} />
      </div>
      <Typography variant="body2" color="textSecondary">
        {formatPValue(regression.pValue)} · changed{' '}
        {timeAgo(regression.changeAt)} · {regression.method}
        {linkedDeploy && (
          <>
            {' '}
            · deploy <span className={classes.code}>{linkedDeploy}</span>
          </>
        )}
        {regression.statusBy &&
          regression.status === 'acknowledged' &&
          ` · acknowledged by ${regression.statusBy}`}
      </Typography>
      <RegressionChart regression={regression} state={series} />
      <div className={classes.actions}>
        {regression.status === 'active' && (
          <Button
            size="small"
            variant="outlined"
            disabled={busy}
            onClick={() => act('acknowledge')}
          >
            Acknowledge
          </Button>
        )}
        <Button
          size="small"
          variant="outlined"
          disabled={busy}
          onClick={() => act('dismiss')}
        >
          Dismiss
        </Button>
      </div>
      {failure && (
        <Alert severity="error" onClose={() => setFailure(undefined)}>
          {failure}
        </Alert>
      )}
    </Box>
  );
}
