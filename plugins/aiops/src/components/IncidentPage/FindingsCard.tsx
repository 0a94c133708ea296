import { InfoCard } from '@backstage/core-components';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import type { Finding } from '@aiops/plugin-aiops-common';
import { EvidenceChips } from './Evidence';

export function formatConfidence(confidence: number): string {
  return `${Math.round(confidence * 100)} %`;
}

/** What the correlation rules concluded, each with the rule, its confidence and its evidence. */
export function FindingsCard(props: {
  findings: Array<{ key: string; finding: Finding }>;
  alertIds: ReadonlySet<string>;
}) {
  const findings = [...props.findings].sort(
    (a, b) => b.finding.confidence - a.finding.confidence,
  );
  return (
    <InfoCard title="Findings" variant="gridItem">
      {findings.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No findings yet: correlation adds them as it learns about the
          incident.
        </Typography>
      ) : (
        <List disablePadding>
          {findings.map(({ key, finding }) => (
            <ListItem key={key} disableGutters divider>
              <div>
                <Typography variant="body1">{finding.summary}</Typography>
                <Typography variant="caption" color="textSecondary">
                  {finding.rule} · confidence{' '}
                  {formatConfidence(finding.confidence)}
                </Typography>
                <EvidenceChips
                  evidence={finding.evidence}
                  alertIds={props.alertIds}
                />
              </div>
            </ListItem>
          ))}
        </List>
      )}
    </InfoCard>
  );
}
