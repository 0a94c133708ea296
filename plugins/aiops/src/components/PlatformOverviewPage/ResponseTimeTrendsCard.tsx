import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { makeStyles } from '@material-ui/core/styles';
import { useAiopsData } from '../../hooks/useAiopsData';
import { DataCard } from '../shared/DataCard';
import { formatDuration } from '../shared/format';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
const WEEKS = 4;
/** Weekly figures barely move within minutes; no need to ask for four stats every 30 s. */
const TRENDS_POLL_MS = 5 * 60 * 1000;

/** The last `count` seven-day windows up to `now`, oldest first. */
export function lastWeeks(
  now: number,
  count: number,
): Array<{ from: string; to: string }> {
  return Array.from({ length: count }, (_, index) => {
    const to = now - (count - 1 - index) * WEEK_MS;
    return {
      from: new Date(to - WEEK_MS).toISOString(),
      to: new Date(to).toISOString(),
    };
  });
}

const useStyles = makeStyles(theme => ({
  bar: {
    height: theme.spacing(1),
    borderRadius: theme.spacing(0.5),
    minWidth: 2,
  },
  mtta: { backgroundColor: theme.palette.warning.main },
  mttr: { backgroundColor: theme.palette.info.main },
}));

function Bar(props: { ms?: number; max: number; className: string }) {
  const classes = useStyles();
  if (props.ms === undefined || props.max <= 0) return null;
  return (
    <Box
      className={`${classes.bar} ${props.className}`}
      width={`${Math.max(1, (props.ms / props.max) * 100)}%`}
    />
  );
}

function day(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, {
    month: 'short',
    day: 'numeric',
  });
}

/** Mean time to acknowledge and to resolve, week by week, over the last four weeks. */
export function ResponseTimeTrendsCard() {
  const classes = useStyles();
  const state = useAiopsData(
    api =>
      Promise.all(lastWeeks(Date.now(), WEEKS).map(week => api.getStats(week))),
    [],
    { pollMs: TRENDS_POLL_MS },
  );
  return (
    <DataCard
      title="MTTA and MTTR trends"
      subheader="Incidents opened in each of the last four weeks"
      state={state}
      isEmpty={weeks => weeks.every(week => week.totals.incidents === 0)}
      emptyMessage="No incidents opened in the last four weeks."
    >
      {weeks => {
        const maxMtta = Math.max(0, ...weeks.map(w => w.totals.mttaMs ?? 0));
        const maxMttr = Math.max(0, ...weeks.map(w => w.totals.mttrMs ?? 0));
        return (
          <Table size="small" aria-label="MTTA and MTTR by week">
            <TableHead>
              <TableRow>
                <TableCell>Week</TableCell>
                <TableCell align="right">Opened</TableCell>
                <TableCell>MTTA</TableCell>
                <TableCell>MTTR</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {weeks.map(week => (
                <TableRow key={week.from}>
                  <TableCell>
                    {day(week.from)} – {day(week.to)}
                  </TableCell>
                  <TableCell align="right">{week.totals.incidents}</TableCell>
                  <TableCell>
                    {formatDuration(week.totals.mttaMs)}
                    <Bar
                      ms={week.totals.mttaMs}
                      max={maxMtta}
                      className={classes.mtta}
                    />
                  </TableCell>
                  <TableCell>
                    {formatDuration(week.totals.mttrMs)}
                    <Bar
                      ms={week.totals.mttrMs}
                      max={maxMttr}
                      className={classes.mttr}
                    />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        );
      }}
    </DataCard>
  );
}
