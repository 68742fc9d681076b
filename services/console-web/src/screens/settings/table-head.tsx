import { useTranslation } from 'react-i18next';

/** A settings table's header: its columns, then one for each row's buttons, named for screen readers only. */
export function TableHead(props: { columns: string[] }) {
  const { t } = useTranslation();
  return (
    <thead>
      <tr>
        {props.columns.map((column) => (
          <th key={column}>{column}</th>
        ))}
        <th>
          <span className="visually-hidden">{t('common.actions')}</span>
        </th>
      </tr>
    </thead>
  );
}
