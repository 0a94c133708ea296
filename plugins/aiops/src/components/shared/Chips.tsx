import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import type { IncidentStatus, Severity } from '@aiops/plugin-aiops-common';

const useStyles = makeStyles(theme => ({
  critical: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  error: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  warning: {
    backgroundColor: theme.palette.info.main,
    color: theme.palette.info.contrastText,
  },
  info: {},
  open: {
    backgroundColor: theme.palette.error.light,
    color: theme.palette.error.contrastText,
  },
  acknowledged: {
    backgroundColor: theme.palette.warning.light,
    color: theme.palette.warning.contrastText,
  },
  resolved: {
    backgroundColor: theme.palette.success.light,
    color: theme.palette.success.contrastText,
  },
}));

export function SeverityChip({ severity }: { severity: Severity }) {
  const classes = useStyles();
  return <Chip size="small" label={severity} className={classes[severity]} />;
}

export function IncidentStatusChip({ status }: { status: IncidentStatus }) {
  const classes = useStyles();
  return <Chip size="small" label={status} className={classes[status]} />;
}
