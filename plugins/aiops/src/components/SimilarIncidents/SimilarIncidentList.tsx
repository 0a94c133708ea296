import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type {
  AiopsRetrievalApi,
  IncidentStatus,
} from '@aiops/plugin-aiops-common';
import { useIncidentPath } from '../../hooks/useIncidentPath';
import { postmortemLinkProblem } from '../IncidentPage/postmortemLink';
import { Timestamp } from '../IncidentPage/Timestamp';
import { IncidentStatusChip, formatDuration } from '../shared';

type Hit = AiopsRetrievalApi.SimilarIncidentHit;
type MatchExplanation = AiopsRetrievalApi.MatchExplanation;

/** Shared words shown per hit: the most specific come first, the rest add little. */
const MAX_TERMS = 5;

const useStyles = makeStyles(theme => ({
  row: { display: 'block' },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    marginTop: theme.spacing(0.5),
  },
  resolution: {
    borderLeft: `3px solid ${theme.palette.success.main}`,
    paddingLeft: theme.spacing(1),
    marginTop: theme.spacing(0.5),
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
  },
}));

/** `resource:default/redis-cart` as `resource:redis-cart`: the default namespace says nothing. */
function shortRef(ref: string): string {
  return ref.replace(/^([^:]+:)default\//, '$1');
}

/** Why a hit matched, as short chip labels, the strongest reasons first. */
export function whyLabels(why: MatchExplanation): string[] {
  return [
    ...(why.sameRootCause ? ['same root cause'] : []),
    ...why.sharedAlertNames.map(name => `alert ${name}`),
    ...why.sharedEntities.map(shortRef),
    ...(why.sameSystem ? ['same system'] : []),
    ...why.sharedTerms.slice(0, MAX_TERMS).map(term => `“${term}”`),
  ];
}

function HowResolved(props: { hit: Hit }) {
  const classes = useStyles();
  const { note, postmortemUrl } = props.hit.resolution ?? {};
  if (!note && !postmortemUrl) {
    return props.hit.status === 'resolved' ? (
      <Typography variant="body2" color="textSecondary">
        No note on what fixed it.
      </Typography>
    ) : null;
  }
  return (
    <Box className={classes.resolution} aria-label="How it was resolved">
      {note && <Typography variant="body2">{note}</Typography>}
      {postmortemUrl && !postmortemLinkProblem(postmortemUrl) && (
        <Typography variant="body2">
          <Link to={postmortemUrl} target="_blank" rel="noopener noreferrer">
            Postmortem
          </Link>
        </Typography>
      )}
    </Box>
  );
}

function HitRow(props: { hit: Hit }) {
  const { hit } = props;
  const classes = useStyles();
  const incidentPath = useIncidentPath();
  return (
    <ListItem
      divider
      disableGutters
      className={classes.row}
      aria-label={hit.title}
    >
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <Link to={incidentPath(hit.incidentId)}>{hit.title}</Link>
        <IncidentStatusChip status={hit.status as IncidentStatus} />
        <Typography variant="caption" color="textSecondary">
          score {hit.score.toFixed(2)}
        </Typography>
      </Box>
      <Typography variant="caption" color="textSecondary" component="div">
        opened <Timestamp at={hit.openedAt} />
        {hit.timeToResolveMs !== undefined &&
          ` · resolved in ${formatDuration(hit.timeToResolveMs)}`}
      </Typography>
      <HowResolved hit={hit} />
      <div className={classes.chips} aria-label="Why it matched">
        {whyLabels(hit.why).map(label => (
          <Chip key={label} size="small" variant="outlined" label={label} />
        ))}
      </div>
    </ListItem>
  );
}

/**
 * Past incidents from aiops-retrieval, one row each: the incident (linked), its status and
 * score, when it happened and how long it took, how it was resolved, and why it matched. The
 * incident page's similar incidents and the overview's search both show hits this way.
 */
export function SimilarIncidentList(props: {
  result: AiopsRetrievalApi.RetrievalResult;
}) {
  const { hits, mode } = props.result;
  return (
    <>
      {mode === 'lexical-structural' && (
        <Typography variant="caption" color="textSecondary" component="p">
          Matched by words and structure only (lexical-structural): the embedder
          was unavailable.
        </Typography>
      )}
      <List dense disablePadding>
        {hits.map(hit => (
          <HitRow key={hit.incidentId} hit={hit} />
        ))}
      </List>
    </>
  );
}
