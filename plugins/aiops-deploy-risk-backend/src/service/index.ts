export * from './types';
export * from './score';
export * from './config';
export * from './factors';
export * from './validateRequest';
export * from './assessor';
