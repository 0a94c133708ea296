export {
  HttpCorrelationReader,
  type CorrelationReader,
} from './CorrelationReader';
export { HttpRetrievalReader, type RetrievalReader } from './RetrievalReader';
export {
  HttpIncidentContextReader,
  MAX_LABELLED_ALERTS,
  type IncidentContextReader,
} from './IncidentContextReader';
export { readOk, suiteClientOptions, withServiceToken } from './serviceCalls';
