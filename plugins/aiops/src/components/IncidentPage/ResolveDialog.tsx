import { useId, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import type {
  IncidentResolution,
  ResolutionInput,
} from '@aiops/plugin-aiops-common';
import { postmortemLinkProblem } from './postmortemLink';

/** What the backend accepts (docs/correlation.md, "Resolution"). */
const NOTE_MAX_LENGTH = 4_000;
const LINK_MAX_LENGTH = 2_000;

/**
 * Asks what fixed the incident before resolving it; both fields are optional. With `current`
 * (a resolved incident's resolution) it edits what was recorded: emptied fields clear it.
 */
export function ResolveDialog(props: {
  open: boolean;
  current?: IncidentResolution;
  busy: boolean;
  /** Why the last attempt failed, shown in the dialog (the page behind it is hidden). */
  error?: string;
  onCancel: () => void;
  onSubmit: (resolution: ResolutionInput) => void;
}) {
  const { open, current, busy, error, onCancel, onSubmit } = props;
  const [note, setNote] = useState(current?.note ?? '');
  const [link, setLink] = useState(current?.postmortemUrl ?? '');
  const titleId = useId();
  const noteId = useId();
  const linkId = useId();
  const linkProblem = link.trim() ? postmortemLinkProblem(link.trim()) : '';
  const editing = !!current;

  return (
    <Dialog
      open={open}
      onClose={onCancel}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="sm"
    >
      <form
        onSubmit={event => {
          event.preventDefault();
          if (linkProblem) return;
          onSubmit({
            ...(note.trim() && { note: note.trim() }),
            ...(link.trim() && { postmortemUrl: link.trim() }),
          });
        }}
      >
        <DialogTitle id={titleId}>
          {editing ? 'Edit resolution' : 'Resolve incident'}
        </DialogTitle>
        <DialogContent>
          {error && (
            <Box mb={1}>
              <Alert severity="error">{error}</Alert>
            </Box>
          )}
          <TextField
            id={noteId}
            label="What fixed it"
            placeholder="Optional: what you did, so the next responder can too"
            variant="outlined"
            margin="dense"
            fullWidth
            multiline
            minRows={3}
            maxRows={10}
            value={note}
            onChange={event => setNote(event.target.value)}
            inputProps={{ maxLength: NOTE_MAX_LENGTH }}
          />
          <TextField
            id={linkId}
            label="Postmortem link"
            placeholder="Optional: https://…"
            variant="outlined"
            margin="dense"
            fullWidth
            type="url"
            value={link}
            onChange={event => setLink(event.target.value)}
            error={!!linkProblem}
            helperText={linkProblem || ' '}
            inputProps={{ maxLength: LINK_MAX_LENGTH }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={busy || !!linkProblem}
          >
            {editing ? 'Save resolution' : 'Resolve'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
