import {
  DependencyGraph,
  DependencyGraphTypes,
  InfoCard,
} from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  EntityRefLink,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import { makeStyles } from '@material-ui/core/styles';
import type { Incident } from '@aiops/plugin-aiops-common';

const useStyles = makeStyles(theme => ({
  item: {
    display: 'flex',
    gap: theme.spacing(1),
  },
  node: {
    fill: theme.palette.background.paper,
    stroke: theme.palette.primary.main,
  },
  rootNode: {
    fill: theme.palette.error.main,
    stroke: theme.palette.error.dark,
  },
  text: {
    fill: theme.palette.text.primary,
    fontSize: 14,
  },
  rootText: {
    fill: theme.palette.error.contrastText,
    fontSize: 14,
    fontWeight: theme.typography.fontWeightBold as number,
  },
}));

type NodeData = { label: string; isRoot: boolean };

const NODE_HEIGHT = 32;
/** jsdom and first paint have no text metrics; an estimate keeps the layout stable. */
const CHAR_WIDTH = 8;

function label(ref: string): string {
  try {
    return humanizeEntityRef(parseEntityRef(ref), {
      defaultKind: 'component',
    });
  } catch {
    return ref;
  }
}

/**
 * Entities of the incident, each once: the primary first, then the affected ones. The root is
 * the top root-cause candidate when it is one of them, else the primary entity.
 */
export function incidentEntities(incident: Incident): {
  refs: string[];
  root: string | undefined;
} {
  const refs = [
    ...new Set([
      ...(incident.primaryEntityRef ? [incident.primaryEntityRef] : []),
      ...incident.affectedEntityRefs,
    ]),
  ];
  const top = [...incident.rootCauseCandidates].sort(
    (a, b) => b.score - a.score,
  )[0]?.entityRef;
  const root = top && refs.includes(top) ? top : incident.primaryEntityRef;
  return { refs, root };
}

function EntityNode({ node }: DependencyGraphTypes.RenderNodeProps<NodeData>) {
  const classes = useStyles();
  const width = node.label.length * CHAR_WIDTH + 24;
  return (
    <g>
      <title>{node.id}</title>
      <rect
        className={node.isRoot ? classes.rootNode : classes.node}
        width={width}
        height={NODE_HEIGHT}
        rx={8}
      />
      <text
        className={node.isRoot ? classes.rootText : classes.text}
        x={width / 2}
        y={NODE_HEIGHT / 2}
        textAnchor="middle"
        alignmentBaseline="middle"
      >
        {node.label}
      </text>
    </g>
  );
}

/** The entities the incident touches, as catalog links and as a graph from the likely root. */
export function AffectedEntitiesCard(props: { incident: Incident }) {
  const classes = useStyles();
  const { refs, root } = incidentEntities(props.incident);
  const nodes = refs.map(ref => ({
    id: ref,
    label: label(ref),
    isRoot: ref === root,
  }));
  const edges =
    root === undefined
      ? []
      : refs.filter(ref => ref !== root).map(ref => ({ from: root, to: ref }));

  return (
    <InfoCard title="Affected entities" variant="gridItem">
      <List dense disablePadding aria-label="Affected entities">
        {refs.map(ref => (
          <ListItem key={ref} disableGutters className={classes.item}>
            <EntityRefLink entityRef={ref} />
            {ref === props.incident.primaryEntityRef && (
              <Chip size="small" variant="outlined" label="primary" />
            )}
            {ref === root && (
              <Chip size="small" color="secondary" label="likely root" />
            )}
          </ListItem>
        ))}
      </List>
      {refs.length > 1 && (
        <Box mt={2} data-testid="affected-entities-graph">
          <DependencyGraph<NodeData, {}>
            nodes={nodes}
            edges={edges}
            renderNode={EntityNode}
            direction={DependencyGraphTypes.Direction.LEFT_RIGHT}
            showArrowHeads
            zoom="enable-on-click"
            allowFullscreen={false}
          />
        </Box>
      )}
    </InfoCard>
  );
}
