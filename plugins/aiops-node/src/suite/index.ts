export {
  HttpCorrelationReader,
  type CorrelationReader,
} from './CorrelationReader';
export { HttpRetrievalReader, type RetrievalReader } from './RetrievalReader';
export { readOk, suiteClientOptions, withServiceToken } from './serviceCalls';
