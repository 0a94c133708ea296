import { Progress } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type { AiopsRegressionApi } from '@aiops/plugin-aiops-common';
import { useAiopsData } from '../../hooks/useAiopsData';
import { Sparkline, errorMessage, type SparklineMarker } from '../shared';
import type { LoadState } from '../shared/DataCard';
import { formatChange, seriesWindow } from './regressionText';

/** Hours of the metric drawn on each side of the change. */
export const CHART_HOURS = 12;

/** The markers of a series: its change points and its deploys. */
export function seriesMarkers(
  series: AiopsRegressionApi.EntitySeries,
): SparklineMarker[] {
  return [
    ...series.changePoints.map(c => ({
      at: c.at,
      kind: 'change' as const,
      label: `Change point at ${new Date(c.at).toLocaleString()}`,
    })),
    ...series.deployments.map(d => ({
      at: d.at,
      kind: 'deploy' as const,
      label: `Deploy ${d.version ?? d.id} at ${new Date(
        d.at,
      ).toLocaleString()}`,
    })),
  ];
}

/** The regression's series around its change: loaded once per regression (the past does not move). */
export function useRegressionSeries(regression: AiopsRegressionApi.Regression) {
  const { from, to } = seriesWindow(regression.changeAt, CHART_HOURS);
  return useAiopsData(
    api =>
      api.getEntitySeries(regression.entityRef, {
        metric: regression.metric,
        from,
        to,
      }),
    [regression.id],
    { pollMs: 0 },
  );
}

/** The regression's metric around its change, with change points and deploy markers. */
export function RegressionChart(props: {
  regression: AiopsRegressionApi.Regression;
  state: LoadState<AiopsRegressionApi.EntitySeries>;
}) {
  const { regression, state } = props;
  if (state.error) {
    return (
      <Typography variant="caption" color="textSecondary">
        Could not load the {regression.metric} series:{' '}
        {errorMessage(state.error)}
      </Typography>
    );
  }
  if (!state.value) return <Progress />;
  const series = state.value;
  if (series.points.length === 0) {
    return (
      <Typography variant="caption" color="textSecondary">
        No {regression.metric} data around the change ({series.provider}).
      </Typography>
    );
  }
  return (
    <Sparkline
      label={`${regression.metric} ${formatChange(
        regression,
      )} around ${new Date(regression.changeAt).toLocaleString()}`}
      points={series.points}
      markers={seriesMarkers(series)}
      from={series.from}
      to={series.to}
    />
  );
}
