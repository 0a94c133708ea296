export {
  EntityRegressionsCard,
  type EntityRegressionsCardProps,
} from './EntityRegressionsCard';
