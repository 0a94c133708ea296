import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { IncidentResolution } from '@aiops/plugin-aiops-common';
import { postmortemLinkProblem } from './postmortemLink';
import { Timestamp } from './Timestamp';

const useStyles = makeStyles(theme => ({
  root: {
    borderLeft: `4px solid ${theme.palette.success.main}`,
    padding: theme.spacing(1, 2),
    margin: theme.spacing(0, 0, 2),
  },
  note: {
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
  },
  link: {
    wordBreak: 'break-all',
  },
}));

/** How a resolved incident was fixed: the note as text, the postmortem as a link if it is one. */
export function ResolutionSummary(props: { resolution: IncidentResolution }) {
  const { note, postmortemUrl, resolvedBy, resolvedAt } = props.resolution;
  const classes = useStyles();
  return (
    <Box className={classes.root} component="section" aria-label="Resolution">
      <Typography variant="subtitle2" component="h2">
        Resolution
      </Typography>
      {note ? (
        <Typography variant="body2" className={classes.note}>
          {note}
        </Typography>
      ) : (
        <Typography variant="body2" color="textSecondary">
          No note on what fixed it.
        </Typography>
      )}
      {postmortemUrl && (
        <Typography variant="body2" className={classes.link}>
          Postmortem:{' '}
          {postmortemLinkProblem(postmortemUrl) ? (
            postmortemUrl
          ) : (
            <Link to={postmortemUrl} target="_blank" rel="noopener noreferrer">
              {postmortemUrl}
            </Link>
          )}
        </Typography>
      )}
      <Typography variant="caption" color="textSecondary">
        Resolved by {resolvedBy} <Timestamp at={resolvedAt} />
      </Typography>
    </Box>
  );
}
