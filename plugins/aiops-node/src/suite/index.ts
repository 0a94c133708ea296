export {
  HttpCorrelationReader,
  type CorrelationReader,
} from './CorrelationReader';
export { readOk, suiteClientOptions, withServiceToken } from './serviceCalls';
