import { parseEntityRef } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import type { Evidence } from '@aiops/plugin-aiops-common';

const useStyles = makeStyles(theme => ({
  list: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    marginTop: theme.spacing(0.5),
  },
}));

/** The element id of an alert's row in the incident's alert list, target of evidence links. */
export function alertAnchor(alertId: string): string {
  return `alert-${alertId}`;
}

/** Ids are UUIDs or long hashes; the chip shows the start, the tooltip the whole id. */
function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

function isEntityRef(ref: string): boolean {
  try {
    parseEntityRef(ref);
    return true;
  } catch {
    return false;
  }
}

/**
 * The evidence a claim rests on, as chips naming their kind. Alerts of this incident link to
 * their row in the alert list, entities to their catalog page; other ids are shown as they are.
 */
export function EvidenceChips(props: {
  evidence: Evidence[] | undefined;
  /** Alerts listed on this page, which alert evidence can link to. */
  alertIds: ReadonlySet<string>;
}) {
  const classes = useStyles();
  const entityLink = useEntityRefLink();
  if (!props.evidence?.length) return null;
  return (
    <div className={classes.list}>
      {props.evidence.map(({ kind, id }) => {
        const key = `${kind}:${id}`;
        if (kind === 'alert' && props.alertIds.has(id)) {
          return (
            <Chip
              key={key}
              size="small"
              variant="outlined"
              component="a"
              href={`#${encodeURIComponent(alertAnchor(id))}`}
              label={`alert ${shortId(id)}`}
              title={id}
            />
          );
        }
        if (kind === 'entity' && isEntityRef(id)) {
          return (
            <Link key={key} to={entityLink(id)} underline="none">
              <Chip size="small" variant="outlined" label={`entity ${id}`} />
            </Link>
          );
        }
        return (
          <Chip
            key={key}
            size="small"
            variant="outlined"
            label={`${kind} ${shortId(id)}`}
            title={id}
          />
        );
      })}
    </div>
  );
}
