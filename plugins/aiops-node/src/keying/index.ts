export * from './EntityIndex';
export * from './EntityResolver';
export * from './entityResolverServiceRef';
