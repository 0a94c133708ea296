import { timeAgo } from '../shared';

/**
 * A point in time: relative (`5 min ago`) where the gist matters, absolute where the order of
 * events does; the other form is in the tooltip.
 */
export function Timestamp(props: { at: string; absolute?: boolean }) {
  const local = new Date(props.at).toLocaleString();
  const relative = timeAgo(props.at);
  return (
    <time dateTime={props.at} title={props.absolute ? relative : local}>
      {props.absolute ? local : relative}
    </time>
  );
}
