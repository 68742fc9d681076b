import type { Reservation } from '@reserveit/console-api';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { actionsFor, type BookingAction, statusOfAction } from '../../domain/booking-actions.js';
import { keys } from '../../domain/query-keys.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { StatusBadge } from '../../ui/status-badge.js';
import { CancelDialog, ModifyDialog } from './booking-dialogs.js';

export function SourceBadge(props: { reservation: Reservation }) {
  const { t } = useTranslation();
  const source = props.reservation.walkIn ? 'walkIn' : props.reservation.source;
  return (
    <span className={`badge source-${source}`} data-testid="booking-source">
      {t(`source.${source}`)}
    </span>
  );
}

export function BookingCard(props: { businessId: string; reservation: Reservation }) {
  const { t } = useTranslation();
  const { reservation: r, businessId } = props;
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<'modify' | 'cancel' | null>(null);
  const setStatus = useMutation({
    mutationFn: (status: 'seated' | 'finished' | 'no_show') =>
      call('setReservationStatus', { params: { businessId, reservationId: r.id }, body: { status } }),
    onSuccess: (updated) => queryClient.invalidateQueries({ queryKey: keys.day(businessId, updated.date) }),
  });

  function act(action: BookingAction) {
    if (action === 'modify' || action === 'cancel') setDialog(action);
    else setStatus.mutate(statusOfAction[action]);
  }

  return (
    <article className={`booking status-${r.status}`} data-testid={`booking-${r.id}`} data-status={r.status}>
      <div className="booking-main">
        <div className="booking-who">
          <strong data-testid="booking-name">{r.guestName || t('booking.noName')}</strong>
          <span className="party" data-testid="booking-party">
            {t('booking.party', { count: r.partySize })}
          </span>
          <span className="muted">{r.time}</span>
          {r.walkIn ? null : (
            <Link
              to="/r/$businessId/guest"
              params={{ businessId }}
              search={{ reservationId: r.id }}
              data-testid="booking-history"
            >
              {t('timeline.link')}
            </Link>
          )}
        </div>
        <div className="badges">
          <StatusBadge status={r.status} />
          <SourceBadge reservation={r} />
          {r.guestConfirmed ? (
            <span className="badge status-confirmed" data-testid="booking-guest-confirmed">
              {t('booking.guestConfirmed')}
            </span>
          ) : null}
          {r.noShowFlagged && (r.status === 'pending' || r.status === 'confirmed') ? (
            <span className="badge status-no_show" data-testid="booking-no-show-flag">
              {t('booking.noShowFlagged')}
            </span>
          ) : null}
          {r.lateMinutes ? (
            <span className="badge status-no_show" data-testid="booking-late">
              {t('booking.late', { count: r.lateMinutes })}
            </span>
          ) : null}
          {r.rating ? (
            <span
              className={`badge ${r.rating <= 2 ? 'status-no_show' : 'status-confirmed'}`}
              data-testid="booking-rating"
              data-rating={r.rating}
            >
              {t('booking.rating', { rating: r.rating })}
            </span>
          ) : null}
          {r.guestPhone ? (
            <a className="muted phone" dir="ltr" href={`tel:${r.guestPhone}`} data-testid="booking-phone">
              {r.guestPhone}
            </a>
          ) : null}
        </div>
        {r.notes ? (
          <p className="notes" data-testid="booking-notes">
            {r.notes}
          </p>
        ) : null}
        {r.feedbackComment ? (
          <p className="notes" dir="auto" data-testid="booking-feedback-comment">
            “{r.feedbackComment}”
          </p>
        ) : null}
      </div>
      <div className="actions">
        {actionsFor(r.status).map((action) => (
          <button
            key={action}
            type="button"
            className={action === 'cancel' ? 'danger' : action === 'seat' ? 'primary' : ''}
            data-testid={`booking-${action}`}
            disabled={setStatus.isPending}
            onClick={() => act(action)}
          >
            {t(`booking.action.${action}`)}
          </button>
        ))}
      </div>
      <ErrorMessage error={setStatus.error} />
      {dialog === 'modify' ? (
        <ModifyDialog businessId={businessId} reservation={r} onClose={() => setDialog(null)} />
      ) : null}
      {dialog === 'cancel' ? (
        <CancelDialog businessId={businessId} reservation={r} onClose={() => setDialog(null)} />
      ) : null}
    </article>
  );
}
