export { IncidentSearchCard } from './IncidentSearchCard';
export { SimilarIncidentsCard } from './SimilarIncidentsCard';
