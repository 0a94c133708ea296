import { Route, Routes } from 'react-router-dom';
import { IncidentPage } from './IncidentPage';
import { PlatformOverviewPage } from './PlatformOverviewPage';
import { SilencesPage } from './SilencesPage';

/** Everything under the AIOps page's mount point (`/aiops` in the suite's app). */
export function AiopsRouter() {
  return (
    <Routes>
      <Route path="/" element={<PlatformOverviewPage />} />
      <Route path="/incidents/:id" element={<IncidentPage />} />
      <Route path="/silences" element={<SilencesPage />} />
    </Routes>
  );
}
