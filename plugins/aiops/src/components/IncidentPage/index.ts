export { IncidentPage, IncidentView } from './IncidentPage';
