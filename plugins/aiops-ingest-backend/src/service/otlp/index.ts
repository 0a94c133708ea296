export { parseOtlpMetrics, MAX_EXPONENTIAL_SCALE } from './metrics';
export { parseOtlpLogs } from './logs';
export {
  parseOtlpTraces,
  SPAN_DURATION_BOUNDS_MS,
  EXPLICIT_PEER_ATTRIBUTE,
  HOST_PEER_ATTRIBUTES,
} from './traces';
export {
  CumulativeToDelta,
  type CumulativeToDeltaOptions,
  type HistogramTotals,
} from './CumulativeToDelta';
export {
  RecentClientSpans,
  type RecentClientSpansOptions,
} from './RecentClientSpans';
export {
  EXEMPLARS_PER_RESOURCE,
  EXEMPLAR_MESSAGE_MAX_LENGTH,
} from './accumulators';
