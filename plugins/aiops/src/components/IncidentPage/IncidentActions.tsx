import { useId, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import {
  aiopsIncidentUpdatePermission,
  type Incident,
} from '@aiops/plugin-aiops-common';
import { aiopsApiRef } from '../../api/AiopsApi';
import { errorMessage } from '../shared';
import { ResolveDialog } from './ResolveDialog';

/** What the backend accepts for a note (docs/correlation.md, "Lifecycle and merge"). */
const NOTE_MAX_LENGTH = 10_000;

const useStyles = makeStyles(theme => ({
  buttons: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  note: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    marginTop: theme.spacing(2),
  },
}));

type ActionName =
  | 'acknowledge'
  | 'resolve'
  | 'save the resolution'
  | 'reopen'
  | 'add a note';

/**
 * Acknowledge, resolve (saying what fixed it), reopen and notes, for those the permission policy
 * lets change this incident. `onChanged` reloads the page's data after each successful action.
 */
export function IncidentActions(props: {
  incident: Incident;
  onChanged: () => void;
}) {
  const { incident, onChanged } = props;
  const classes = useStyles();
  const api = useApi(aiopsApiRef);
  const permission = usePermission({
    permission: aiopsIncidentUpdatePermission,
    resourceRef: incident.id,
  });
  const [busy, setBusy] = useState<ActionName>();
  const [failure, setFailure] = useState<string>();
  const [note, setNote] = useState('');
  const [resolving, setResolving] = useState(false);
  const noteId = useId();

  if (permission.loading) return null;
  if (!permission.allowed) {
    return (
      <Typography variant="caption" color="textSecondary">
        You do not have permission to change this incident.
      </Typography>
    );
  }

  const run = async (name: ActionName, action: () => Promise<unknown>) => {
    setBusy(name);
    setFailure(undefined);
    try {
      await action();
      if (name === 'add a note') setNote('');
      setResolving(false);
      onChanged();
    } catch (e) {
      setFailure(`Could not ${name}: ${errorMessage(e)}`);
    } finally {
      setBusy(undefined);
    }
  };

  const resolved = incident.status === 'resolved';
  // A merged incident's fix is recorded on the incident it was merged into.
  const canEditResolution = resolved && !incident.mergedInto;
  return (
    <Box>
      <div className={classes.buttons}>
        {incident.status === 'open' && (
          <Button
            variant="contained"
            color="primary"
            disabled={!!busy}
            onClick={() =>
              run('acknowledge', () => api.acknowledgeIncident(incident.id))
            }
          >
            Acknowledge
          </Button>
        )}
        {!resolved && (
          <Button
            variant="outlined"
            disabled={!!busy}
            onClick={() => setResolving(true)}
          >
            Resolve
          </Button>
        )}
        {canEditResolution && (
          <Button
            variant="outlined"
            disabled={!!busy}
            onClick={() => run('reopen', () => api.reopenIncident(incident.id))}
          >
            Reopen
          </Button>
        )}
        {canEditResolution && (
          <Button
            variant="text"
            disabled={!!busy}
            onClick={() => setResolving(true)}
          >
            {incident.resolution?.note || incident.resolution?.postmortemUrl
              ? 'Edit resolution'
              : 'Add resolution'}
          </Button>
        )}
      </div>
      {resolving && (
        <ResolveDialog
          open
          current={resolved ? incident.resolution : undefined}
          busy={!!busy}
          error={failure}
          onCancel={() => {
            setResolving(false);
            setFailure(undefined);
          }}
          onSubmit={resolution =>
            resolved
              ? // Emptied fields clear what was recorded.
                run('save the resolution', () =>
                  api.resolveIncident(incident.id, resolution),
                )
              : run('resolve', () =>
                  api.resolveIncident(
                    incident.id,
                    Object.keys(resolution).length ? resolution : undefined,
                  ),
                )
          }
        />
      )}
      <form
        className={classes.note}
        onSubmit={event => {
          event.preventDefault();
          if (note.trim()) {
            run('add a note', () => api.addNote(incident.id, note.trim()));
          }
        }}
      >
        <TextField
          id={noteId}
          label="Note"
          placeholder="What did you find or do?"
          variant="outlined"
          size="small"
          fullWidth
          multiline
          maxRows={6}
          value={note}
          onChange={event => setNote(event.target.value)}
          inputProps={{ maxLength: NOTE_MAX_LENGTH }}
        />
        <Button
          type="submit"
          variant="outlined"
          disabled={!!busy || !note.trim()}
        >
          Add note
        </Button>
      </form>
      {failure && !resolving && (
        <Box mt={2}>
          <Alert severity="error" onClose={() => setFailure(undefined)}>
            {failure}
          </Alert>
        </Box>
      )}
    </Box>
  );
}
