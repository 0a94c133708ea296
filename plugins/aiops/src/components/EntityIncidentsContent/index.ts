export {
  EntityIncidentsContent,
  type EntityIncidentsContentProps,
} from './EntityIncidentsContent';
