export { SilencesPage } from './SilencesPage';
