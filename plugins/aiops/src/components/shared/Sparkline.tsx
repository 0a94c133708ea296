import { useTheme } from '@material-ui/core/styles';

export interface SparklineMarker {
  at: string;
  /** Says what the marker is, as the line's title (a tooltip) and its accessible name. */
  label: string;
  kind: 'change' | 'deploy';
}

export interface SparklineProps {
  points: { at: string; value: number }[];
  markers: SparklineMarker[];
  /** The time range drawn; the points' own range when absent. */
  from?: string;
  to?: string;
  width?: number;
  height?: number;
  /** The chart's accessible name. */
  label: string;
}

/**
 * A small line chart of a series with vertical markers (change points solid, deploys dashed).
 * Plain SVG: the plugin has no charting library, and a sparkline needs none.
 */
export function Sparkline(props: SparklineProps) {
  const theme = useTheme();
  const { points, markers, width = 320, height = 64, label } = props;
  const times = points.map(p => Date.parse(p.at));
  const start = props.from ? Date.parse(props.from) : Math.min(...times);
  const end = props.to ? Date.parse(props.to) : Math.max(...times);
  const values = points.map(p => p.value);
  const low = Math.min(...values);
  const high = Math.max(...values);
  const pad = 2;
  // A flat series or a single instant would divide by zero: draw it mid-height / at the left.
  const x = (ms: number) =>
    end > start
      ? pad + ((ms - start) / (end - start)) * (width - 2 * pad)
      : pad;
  const y = (v: number) =>
    high > low
      ? height - pad - ((v - low) / (high - low)) * (height - 2 * pad)
      : height / 2;
  const path = points
    .map(
      (p, i) =>
        `${i ? 'L' : 'M'}${x(times[i]).toFixed(1)},${y(p.value).toFixed(1)}`,
    )
    .join(' ');
  const inRange = markers.filter(m => {
    const ms = Date.parse(m.at);
    return ms >= start && ms <= end;
  });

  return (
    <svg
      role="img"
      aria-label={label}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
    >
      {inRange.map(m => {
        const at = x(Date.parse(m.at));
        return (
          <line
            key={`${m.kind}-${m.at}-${m.label}`}
            data-testid={`marker-${m.kind}`}
            aria-label={m.label}
            x1={at}
            x2={at}
            y1={0}
            y2={height}
            stroke={
              m.kind === 'change'
                ? theme.palette.error.main
                : theme.palette.text.secondary
            }
            strokeDasharray={m.kind === 'deploy' ? '3 3' : undefined}
            strokeWidth={1.5}
          >
            <title>{m.label}</title>
          </line>
        );
      })}
      {points.length > 0 && (
        <path
          d={path}
          fill="none"
          stroke={theme.palette.primary.main}
          strokeWidth={1.5}
        />
      )}
    </svg>
  );
}
