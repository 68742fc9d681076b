import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { fieldOf } from '../../api/errors.js';
import { timeIn, todayIn } from '../../domain/dates.js';
import { keys } from '../../domain/query-keys.js';
import { Dialog } from '../../ui/dialog.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { Field } from '../../ui/field.js';
import { useRequestId } from '../../ui/use-request-id.js';

/** A phone booking, or a walk-in seated now (name and phone optional). */
export function NewBookingDialog(props: {
  businessId: string;
  date: string;
  timezone: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const now = new Date();
  const [form, setForm] = useState({
    walkIn: false,
    guestName: '',
    phone: '',
    partySize: 2,
    date: props.date,
    time: '19:00',
    notes: '',
  });
  const setWalkIn = (walkIn: boolean) =>
    setForm(
      walkIn
        ? {
            ...form,
            walkIn,
            phone: '',
            date: todayIn(props.timezone, now),
            time: timeIn(props.timezone, now, 5),
          }
        : { ...form, walkIn },
    );
  // A click retried after a network error sends the same id, so the booking is made once.
  const requestIds = useRequestId();
  const create = useMutation({
    mutationFn: () =>
      call('createReservation', {
        params: { businessId: props.businessId },
        body: { ...form, requestId: requestIds.next(JSON.stringify(form)) },
      }),
    onSettled: (_data, error) => requestIds.settle(error),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: keys.day(props.businessId, created.date) });
      props.onClose();
    },
  });
  const bad = fieldOf(create.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Dialog title={t('newBooking.title')} testId="new-booking-dialog" onClose={props.onClose}>
      <form className="form" onSubmit={submit}>
        <fieldset className="segmented">
          <legend className="visually-hidden">{t('newBooking.kind')}</legend>
          <button
            type="button"
            className={form.walkIn ? '' : 'selected'}
            aria-pressed={!form.walkIn}
            data-testid="new-booking-phone"
            onClick={() => setWalkIn(false)}
          >
            {t('newBooking.phoneBooking')}
          </button>
          <button
            type="button"
            className={form.walkIn ? 'selected' : ''}
            aria-pressed={form.walkIn}
            data-testid="new-booking-walk-in"
            onClick={() => setWalkIn(true)}
          >
            {t('newBooking.walkIn')}
          </button>
        </fieldset>
        <Field label={t('booking.guestName')} invalid={bad === 'guestName'}>
          {(id) => (
            <input
              id={id}
              data-testid="new-booking-name"
              value={form.guestName}
              onChange={(e) => setForm({ ...form, guestName: e.target.value })}
            />
          )}
        </Field>
        {form.walkIn ? null : (
          <Field label={t('booking.phone')} invalid={bad === 'phone'} hint={t('booking.phoneHint')}>
            {(id) => (
              <input
                id={id}
                type="tel"
                dir="ltr"
                autoComplete="off"
                data-testid="new-booking-phone-number"
                value={form.phone}
                onChange={(e) => setForm({ ...form, phone: e.target.value })}
              />
            )}
          </Field>
        )}
        <div className="row">
          <Field label={t('booking.partySize')} invalid={bad === 'partySize'}>
            {(id) => (
              <input
                id={id}
                type="number"
                min={1}
                inputMode="numeric"
                data-testid="new-booking-party"
                value={form.partySize}
                onChange={(e) => setForm({ ...form, partySize: e.target.valueAsNumber })}
              />
            )}
          </Field>
          <Field label={t('booking.date')} invalid={bad === 'date'}>
            {(id) => (
              <input
                id={id}
                type="date"
                data-testid="new-booking-date"
                value={form.date}
                onChange={(e) => setForm({ ...form, date: e.target.value })}
              />
            )}
          </Field>
          <Field label={t('booking.time')} invalid={bad === 'time'}>
            {(id) => (
              <input
                id={id}
                type="time"
                data-testid="new-booking-time"
                value={form.time}
                onChange={(e) => setForm({ ...form, time: e.target.value })}
              />
            )}
          </Field>
        </div>
        <Field label={t('booking.notes')} invalid={bad === 'notes'}>
          {(id) => (
            <textarea
              id={id}
              data-testid="new-booking-notes"
              value={form.notes}
              onChange={(e) => setForm({ ...form, notes: e.target.value })}
            />
          )}
        </Field>
        <ErrorMessage error={create.error} />
        <div className="dialog-actions">
          <button type="button" onClick={props.onClose}>
            {t('common.back')}
          </button>
          <button
            type="submit"
            className="primary"
            data-testid="new-booking-save"
            disabled={create.isPending}
          >
            {form.walkIn ? t('newBooking.addWalkIn') : t('newBooking.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
