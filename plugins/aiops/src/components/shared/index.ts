export { IncidentStatusChip, SeverityChip } from './Chips';
export { IncidentTable } from './IncidentTable';
export { errorMessage, formatDuration, timeAgo } from './format';
