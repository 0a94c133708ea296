import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import AlertIcon from '@material-ui/icons/NotificationsActive';
import DeploymentIcon from '@material-ui/icons/CloudUpload';
import FindingIcon from '@material-ui/icons/FindInPage';
import StatusIcon from '@material-ui/icons/Flag';
import NoteIcon from '@material-ui/icons/Comment';
import NotificationIcon from '@material-ui/icons/Send';
import EscalationIcon from '@material-ui/icons/PriorityHigh';
import type {
  IncidentTimelineEntry,
  TimelineEntryKind,
} from '@aiops/plugin-aiops-common';
import { errorMessage } from '../shared';
import { EvidenceChips } from './Evidence';
import { useOlderTimeline } from './olderTimeline';
import { Timestamp } from './Timestamp';

const KIND_ICONS: Record<TimelineEntryKind, typeof AlertIcon> = {
  alert: AlertIcon,
  deployment: DeploymentIcon,
  finding: FindingIcon,
  status: StatusIcon,
  note: NoteIcon,
  notification: NotificationIcon,
  escalation: EscalationIcon,
};

const useStyles = makeStyles(theme => ({
  kind: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    whiteSpace: 'nowrap',
  },
  time: {
    whiteSpace: 'nowrap',
    verticalAlign: 'top',
  },
  summary: {
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
  },
}));

/** `user:…` and `group:…` actors link to the catalog; `system` and others are plain text. */
function Actor({ actor }: { actor?: string }) {
  if (!actor) return null;
  if (/^(user|group):/i.test(actor)) {
    try {
      parseEntityRef(actor);
      return <EntityRefLink entityRef={actor} />;
    } catch {
      // Not a ref after all: show it as it is.
    }
  }
  return <>{actor}</>;
}

/**
 * Everything that happened to the incident, newest first: the detail's newest entries, and
 * older ones a page at a time on request. Key it by the incident id.
 */
export function TimelineCard(props: {
  incidentId: string;
  timeline: IncidentTimelineEntry[];
  olderTimelineCursor?: string;
  alertIds: ReadonlySet<string>;
}) {
  const classes = useStyles();
  const older = useOlderTimeline(
    props.incidentId,
    props.timeline,
    props.olderTimelineCursor,
  );
  const entries = [...older.entries].sort(
    (a, b) => Date.parse(b.at) - Date.parse(a.at),
  );
  return (
    <InfoCard title="Timeline" subheader="Newest first">
      {entries.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          Nothing recorded yet.
        </Typography>
      ) : (
        <Table size="small" aria-label="Timeline">
          <TableHead>
            <TableRow>
              <TableCell>Time</TableCell>
              <TableCell>Kind</TableCell>
              <TableCell>What happened</TableCell>
              <TableCell>By</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {entries.map(entry => {
              const Icon = KIND_ICONS[entry.kind] ?? StatusIcon;
              return (
                <TableRow key={entry.id}>
                  <TableCell className={classes.time}>
                    <Timestamp at={entry.at} absolute />
                  </TableCell>
                  <TableCell>
                    <span className={classes.kind}>
                      <Icon fontSize="small" aria-hidden />
                      {entry.kind}
                    </span>
                  </TableCell>
                  <TableCell>
                    <Typography variant="body2" className={classes.summary}>
                      {entry.summary}
                    </Typography>
                    <EvidenceChips
                      evidence={entry.evidence}
                      alertIds={props.alertIds}
                    />
                  </TableCell>
                  <TableCell>
                    <Actor actor={entry.actor} />
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      {older.hasOlder && (
        <Box mt={1}>
          <Button
            size="small"
            onClick={() => older.loadOlder()}
            disabled={older.loading}
          >
            {older.loading ? 'Loading older entries…' : 'Show older entries'}
          </Button>
        </Box>
      )}
      {older.error && (
        <Typography variant="body2" color="error" role="alert">
          Could not load older entries: {errorMessage(older.error)}
        </Typography>
      )}
    </InfoCard>
  );
}
