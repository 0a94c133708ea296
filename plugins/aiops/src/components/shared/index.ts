export { IncidentStatusChip, SeverityChip } from './Chips';
export { IncidentTable } from './IncidentTable';
export { errorMessage, formatDuration, timeAgo } from './format';
export { isBackendMissing, optionalBackendProblem } from './optionalBackend';
export { Sparkline, type SparklineMarker } from './Sparkline';
