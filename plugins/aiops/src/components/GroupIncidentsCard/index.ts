export { GroupIncidentsCard } from './GroupIncidentsCard';
