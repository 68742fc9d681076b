import type { Reservation } from '@reserveit/console-api';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { fieldOf } from '../../api/errors.js';
import { keys } from '../../domain/query-keys.js';
import { TextAreaField } from '../../ui/field.js';
import { FormDialog } from '../../ui/form-dialog.js';
import { type BookingValues, useBookingFields } from './booking-fields.js';

/** Only what changed is sent: the server refuses an empty change, and a same-value field is noise. */
function changesOf(before: Reservation, form: BookingValues) {
  const changes: Partial<BookingValues> = {};
  if (form.date !== before.date) changes.date = form.date;
  if (form.time !== before.time) changes.time = form.time;
  if (form.partySize !== before.partySize) changes.partySize = form.partySize;
  if (form.guestName !== before.guestName) changes.guestName = form.guestName;
  if (form.notes !== before.notes) changes.notes = form.notes;
  return changes;
}

export function ModifyDialog(props: { businessId: string; reservation: Reservation; onClose: () => void }) {
  const { t } = useTranslation();
  const r = props.reservation;
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    date: r.date,
    time: r.time,
    partySize: r.partySize,
    guestName: r.guestName,
    notes: r.notes,
  });
  const change = useMutation({
    mutationFn: () =>
      call('changeReservation', {
        params: { businessId: props.businessId, reservationId: r.id },
        body: changesOf(r, form),
      }),
    onSuccess: async (updated) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.day(props.businessId, r.date) }),
        queryClient.invalidateQueries({ queryKey: keys.day(props.businessId, updated.date) }),
      ]);
      props.onClose();
    },
  });
  const field = useBookingFields({
    prefix: 'modify',
    values: form,
    invalid: fieldOf(change.error),
    onChange: (values) => setForm({ ...form, ...values }),
  });
  return (
    <FormDialog
      title={t('modify.title', { name: r.guestName })}
      testId="modify-dialog"
      onClose={props.onClose}
      onSubmit={() => change.mutate()}
      error={change.error}
      submit={{ label: t('common.save'), testId: 'modify-save', disabled: change.isPending }}
    >
      <div className="row">
        {field.date}
        {field.time}
        {field.partySize}
      </div>
      {field.guestName}
      {field.notes}
    </FormDialog>
  );
}

export function CancelDialog(props: { businessId: string; reservation: Reservation; onClose: () => void }) {
  const { t } = useTranslation();
  const r = props.reservation;
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const cancel = useMutation({
    mutationFn: () =>
      call('cancelReservation', {
        params: { businessId: props.businessId, reservationId: r.id },
        body: { reason },
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: keys.day(props.businessId, r.date) });
      props.onClose();
    },
  });
  return (
    <FormDialog
      title={t('cancel.title', { name: r.guestName })}
      testId="cancel-dialog"
      onClose={props.onClose}
      onSubmit={() => cancel.mutate()}
      error={cancel.error}
      submit={{
        label: t('cancel.confirm'),
        testId: 'cancel-confirm',
        disabled: cancel.isPending || reason.trim() === '',
        danger: true,
      }}
    >
      <TextAreaField
        label={t('cancel.reason')}
        invalid={fieldOf(cancel.error) === 'reason'}
        testId="cancel-reason"
        value={reason}
        required
        onValue={setReason}
      />
    </FormDialog>
  );
}
