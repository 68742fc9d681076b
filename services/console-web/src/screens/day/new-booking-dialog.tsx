import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { fieldOf } from '../../api/errors.js';
import { timeIn, todayIn } from '../../domain/dates.js';
import { keys } from '../../domain/query-keys.js';
import { InputField } from '../../ui/field.js';
import { FormDialog } from '../../ui/form-dialog.js';
import { useRequestId } from '../../ui/use-request-id.js';
import { useBookingFields } from './booking-fields.js';

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
  const field = useBookingFields({
    prefix: 'new-booking',
    values: form,
    invalid: bad,
    onChange: (values) => setForm({ ...form, ...values }),
  });
  return (
    <FormDialog
      title={t('newBooking.title')}
      testId="new-booking-dialog"
      onClose={props.onClose}
      onSubmit={() => create.mutate()}
      error={create.error}
      submit={{
        label: form.walkIn ? t('newBooking.addWalkIn') : t('newBooking.save'),
        testId: 'new-booking-save',
        disabled: create.isPending,
      }}
    >
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
      {field.guestName}
      {form.walkIn ? null : (
        <InputField
          label={t('booking.phone')}
          invalid={bad === 'phone'}
          hint={t('booking.phoneHint')}
          type="tel"
          dir="ltr"
          autoComplete="off"
          testId="new-booking-phone-number"
          value={form.phone}
          onValue={(phone) => setForm({ ...form, phone })}
        />
      )}
      <div className="row">
        {field.partySize}
        {field.date}
        {field.time}
      </div>
      {field.notes}
    </FormDialog>
  );
}
