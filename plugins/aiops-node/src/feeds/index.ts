export {
  FeedConsumer,
  continuation,
  type FeedConsumerDatabase,
  type FeedConsumerOptions,
} from './FeedConsumer';
export {
  followIncidentChanges,
  type IncidentChangeEvents,
  type IncidentChangeFollower,
} from './followIncidentChanges';
