export {
  FeedConsumer,
  continuation,
  type FeedConsumerDatabase,
  type FeedConsumerOptions,
} from './FeedConsumer';
