export * from './AssessmentStore';
export { DatabaseAssessmentStore } from './DatabaseAssessmentStore';
export { migrationsDir } from './migrate';
