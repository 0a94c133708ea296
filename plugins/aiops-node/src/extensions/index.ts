export * from './notificationChannels';
export * from './llm';
export * from './metricsProviders';
export * from './retrievalStore';
