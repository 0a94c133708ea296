import { InfoCard } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { RootCauseCandidate } from '@aiops/plugin-aiops-common';
import { EvidenceChips } from './Evidence';

const useStyles = makeStyles(theme => ({
  item: {
    display: 'block',
  },
  heading: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  score: {
    marginLeft: 'auto',
    fontVariantNumeric: 'tabular-nums',
  },
  bar: {
    margin: theme.spacing(0.5, 0),
  },
  reasons: {
    margin: 0,
    paddingLeft: theme.spacing(2.5),
  },
}));

/** The ranked root-cause candidates; the backend sorts them, the first is the most likely. */
export function RootCausesCard(props: {
  candidates: RootCauseCandidate[];
  alertIds: ReadonlySet<string>;
}) {
  const classes = useStyles();
  const candidates = [...props.candidates].sort((a, b) => b.score - a.score);
  return (
    <InfoCard title="Root-cause candidates" variant="gridItem">
      {candidates.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No candidates: none of the alerts is keyed to a catalog entity.
        </Typography>
      ) : (
        <List disablePadding>
          {candidates.map((candidate, index) => (
            <ListItem
              key={candidate.entityRef}
              disableGutters
              divider
              className={classes.item}
            >
              <div className={classes.heading}>
                <EntityRefLink entityRef={candidate.entityRef} />
                {index === 0 && (
                  <Chip size="small" color="primary" label="most likely" />
                )}
                <Typography variant="body2" className={classes.score}>
                  score {candidate.score.toFixed(2)}
                </Typography>
              </div>
              <LinearProgress
                className={classes.bar}
                variant="determinate"
                value={Math.min(100, Math.max(0, candidate.score * 100))}
                aria-label={`score of ${candidate.entityRef}`}
              />
              {candidate.reasons.length > 0 && (
                <ul className={classes.reasons}>
                  {candidate.reasons.map((reason, i) => (
                    <Typography component="li" variant="body2" key={i}>
                      {reason}
                    </Typography>
                  ))}
                </ul>
              )}
              <EvidenceChips
                evidence={candidate.evidence}
                alertIds={props.alertIds}
              />
            </ListItem>
          ))}
        </List>
      )}
    </InfoCard>
  );
}
