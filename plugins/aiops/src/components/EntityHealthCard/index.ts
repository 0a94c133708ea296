export {
  EntityHealthCard,
  type EntityHealthCardProps,
} from './EntityHealthCard';
