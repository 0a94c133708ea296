import type { ReactNode } from 'react';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { errorMessage } from './format';

/** What `useAiopsData` (react-use's async state) hands back. */
export interface LoadState<T> {
  loading: boolean;
  error?: Error;
  value?: T;
}

interface LoadContentProps<T> {
  state: LoadState<T>;
  /** Replaces the error panel for errors that are not failures, e.g. a 403 (`undefined`: keep it). */
  renderError?: (error: Error) => ReactNode | undefined;
  isEmpty?: (value: T) => boolean;
  emptyMessage?: ReactNode;
  children: (value: T) => ReactNode;
}

/**
 * One load as content: progress until the first answer, the error in the backend's words, an
 * empty message, or the children. A reload keeps showing the last value, so polling does not
 * flicker.
 */
export function LoadContent<T>(props: LoadContentProps<T>) {
  const { state } = props;
  if (state.value !== undefined) {
    if (props.emptyMessage !== undefined && props.isEmpty?.(state.value)) {
      return (
        <Typography variant="body2" color="textSecondary">
          {props.emptyMessage}
        </Typography>
      );
    }
    return <>{props.children(state.value)}</>;
  }
  if (state.error) {
    return (
      <>
        {props.renderError?.(state.error) ?? (
          <ResponseErrorPanel
            error={state.error}
            title={errorMessage(state.error)}
          />
        )}
      </>
    );
  }
  return <Progress />;
}

/** An `InfoCard` around one load (see `LoadContent`). */
export function DataCard<T>(
  props: LoadContentProps<T> & {
    title: ReactNode;
    subheader?: ReactNode;
    action?: ReactNode;
  },
) {
  const { title, subheader, action, ...content } = props;
  return (
    <InfoCard title={title} subheader={subheader} action={action}>
      <LoadContent {...content} />
    </InfoCard>
  );
}

/** A number with its label, for a row of key figures. */
export function Figure(props: { label: string; value: ReactNode }) {
  return (
    <div role="group" aria-label={props.label}>
      <Typography variant="caption" color="textSecondary" component="div">
        {props.label}
      </Typography>
      <Typography variant="h6" component="div">
        {props.value}
      </Typography>
    </div>
  );
}
