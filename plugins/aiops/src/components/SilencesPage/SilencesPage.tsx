import { useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import Typography from '@material-ui/core/Typography';
import MuiAlert from '@material-ui/lab/Alert';
import {
  Content,
  ContentHeader,
  Header,
  Page,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  aiopsSilenceManagePermission,
  type Silence,
} from '@aiops/plugin-aiops-common';
import { aiopsApiRef } from '../../api/AiopsApi';
import { useAiopsData } from '../../hooks/useAiopsData';
import { rootRouteRef } from '../../routes';
import { DataCard } from '../shared/DataCard';
import { errorMessage, timeAgo } from '../shared/format';
import { SilenceForm } from './SilenceForm';
import {
  formatMatcher,
  formatUtc,
  silenceState,
  type SilenceState,
} from './silenceText';

const STATE_LABELS: Record<SilenceState, string> = {
  active: 'active',
  upcoming: 'upcoming',
  ended: 'ended',
  expired: 'expired',
};

function SilenceWindow({ silence }: { silence: Silence }) {
  return (
    <>
      <div>
        {formatUtc(silence.startsAt)} – {formatUtc(silence.endsAt)}
      </div>
      {silence.rrule && (
        <Typography variant="caption" color="textSecondary" component="div">
          repeats <code>{silence.rrule}</code>
          {silence.expiresAt
            ? `, last window ends ${formatUtc(silence.expiresAt)}`
            : ', forever'}
        </Typography>
      )}
    </>
  );
}

function SilenceStatus({ silence }: { silence: Silence }) {
  const state = silenceState(silence);
  return (
    <>
      <div>{STATE_LABELS[state]}</div>
      {silence.expiredAt && (
        <Typography variant="caption" color="textSecondary" component="div">
          {timeAgo(silence.expiredAt)}
          {silence.expiredBy ? ` by ${silence.expiredBy}` : ''}
        </Typography>
      )}
    </>
  );
}

/**
 * `/aiops/silences`: silences and maintenance windows, and — for those allowed to manage them —
 * creating one and expiring one early. Silences are never edited: a wrong one is expired and
 * created again.
 */
export function SilencesPage() {
  const api = useApi(aiopsApiRef);
  const root = useRouteRef(rootRouteRef)();
  const { allowed: canManage } = usePermission({
    permission: aiopsSilenceManagePermission,
  });
  const [includeExpired, setIncludeExpired] = useState(false);
  const [creating, setCreating] = useState(false);
  const [expiring, setExpiring] = useState<string>();
  const [expireError, setExpireError] = useState<string>();
  const silences = useAiopsData(
    a => a.listSilences({ includeExpired }),
    [includeExpired],
  );

  const expire = async (silence: Silence) => {
    setExpiring(silence.id);
    setExpireError(undefined);
    try {
      await api.expireSilence(silence.id);
      silences.retry();
    } catch (e) {
      setExpireError(errorMessage(e));
    } finally {
      setExpiring(undefined);
    }
  };

  const columns: TableColumn<Silence>[] = [
    {
      title: 'Matchers',
      render: silence => (
        <>
          {silence.matchers.map((matcher, index) => (
            <div key={index}>
              <code>{formatMatcher(matcher)}</code>
            </div>
          ))}
        </>
      ),
    },
    {
      title: 'Window (UTC)',
      render: silence => <SilenceWindow silence={silence} />,
    },
    { title: 'Comment', field: 'comment' },
    {
      title: 'Created',
      render: silence => (
        <>
          <div>{silence.createdBy}</div>
          <Typography variant="caption" color="textSecondary">
            {timeAgo(silence.createdAt)}
          </Typography>
        </>
      ),
    },
    { title: 'Status', render: silence => <SilenceStatus silence={silence} /> },
  ];
  if (canManage) {
    columns.push({
      title: '',
      render: silence => {
        const state = silenceState(silence);
        if (state === 'expired' || state === 'ended') return null;
        return (
          <Button
            size="small"
            variant="outlined"
            disabled={expiring !== undefined}
            onClick={() => expire(silence)}
            aria-label={`Expire silence ${silence.id}`}
          >
            Expire
          </Button>
        );
      },
    });
  }

  return (
    <Page themeId="tool">
      <Header
        title="Silences"
        subtitle="Mute alerts during maintenance windows"
      />
      <Content>
        <ContentHeader title="Silences and maintenance windows">
          <Box display="flex" alignItems="center" gridGap={16}>
            <FormControlLabel
              control={
                <Switch
                  checked={includeExpired}
                  onChange={e => setIncludeExpired(e.target.checked)}
                  color="primary"
                />
              }
              label="Show expired"
            />
            {canManage && !creating && (
              <Button
                variant="contained"
                color="primary"
                onClick={() => setCreating(true)}
              >
                New silence
              </Button>
            )}
            <Button component={RouterLink} to={root}>
              Back to overview
            </Button>
          </Box>
        </ContentHeader>
        {canManage && creating && (
          <Box mb={3}>
            <SilenceForm
              onCreated={() => {
                setCreating(false);
                silences.retry();
              }}
              onCancel={() => setCreating(false)}
            />
          </Box>
        )}
        {expireError && (
          <Box mb={2}>
            <MuiAlert severity="error">{expireError}</MuiAlert>
          </Box>
        )}
        {silences.value ? (
          <Table<Silence>
            title="Silences"
            options={{
              paging: silences.value.items.length > 20,
              pageSize: 20,
              search: false,
            }}
            columns={columns}
            data={silences.value.items}
            emptyContent={
              <Box p={2}>
                <Typography variant="body2" color="textSecondary">
                  {includeExpired
                    ? 'No silences yet.'
                    : 'No active or upcoming silences.'}
                </Typography>
              </Box>
            }
          />
        ) : (
          <DataCard title="Silences" state={silences}>
            {() => null}
          </DataCard>
        )}
      </Content>
    </Page>
  );
}
