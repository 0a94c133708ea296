export * from './writeAheadLog';
export * from './timestamps';
export * from './cursor';
