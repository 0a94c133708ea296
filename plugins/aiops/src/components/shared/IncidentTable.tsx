import { Link, Table, type TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { Incident } from '@aiops/plugin-aiops-common';
import { useIncidentPath } from '../../hooks/useIncidentPath';
import { IncidentStatusChip, SeverityChip } from './Chips';
import { timeAgo } from './format';

/** Incidents as a table, each linking to its incident page. */
export function IncidentTable(props: {
  title: string;
  incidents: Incident[];
  /** Leave out the owner column, e.g. on the owning team's own page. */
  hideOwner?: boolean;
  emptyContent?: JSX.Element;
  isLoading?: boolean;
}) {
  const incidentPath = useIncidentPath();
  const columns: TableColumn<Incident>[] = [
    {
      title: 'Incident',
      field: 'title',
      render: incident => (
        <Link to={incidentPath(incident.id)}>{incident.title}</Link>
      ),
    },
    {
      title: 'Severity',
      field: 'severity',
      render: incident => <SeverityChip severity={incident.severity} />,
    },
    {
      title: 'Status',
      field: 'status',
      render: incident => <IncidentStatusChip status={incident.status} />,
    },
    {
      title: 'Service',
      field: 'primaryEntityRef',
      render: incident =>
        incident.primaryEntityRef ? (
          <EntityRefLink entityRef={incident.primaryEntityRef} />
        ) : (
          'unowned'
        ),
    },
    ...(props.hideOwner
      ? []
      : [
          {
            title: 'Owner',
            field: 'owner',
            render: (incident: Incident) =>
              incident.owner ? (
                <EntityRefLink entityRef={incident.owner} />
              ) : (
                '—'
              ),
          },
        ]),
    {
      title: 'Opened',
      field: 'openedAt',
      render: incident => timeAgo(incident.openedAt),
    },
  ];
  return (
    <Table<Incident>
      title={props.title}
      options={{
        paging: props.incidents.length > 10,
        pageSize: 10,
        search: false,
      }}
      columns={columns}
      data={props.incidents}
      isLoading={props.isLoading}
      emptyContent={props.emptyContent}
    />
  );
}
