import type { ReservationStatus } from '@reserveit/console-api';
import { useTranslation } from 'react-i18next';

export function StatusBadge(props: { status: ReservationStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`badge status-${props.status}`} data-testid="booking-status">
      {t(`status.${props.status}`)}
    </span>
  );
}
