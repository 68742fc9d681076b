import type { Reservation } from '@reserveit/console-api';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { fieldOf } from '../../api/errors.js';
import { keys } from '../../domain/query-keys.js';
import { Dialog } from '../../ui/dialog.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { Field } from '../../ui/field.js';

/** Only what changed is sent: the server refuses an empty change, and a same-value field is noise. */
function changesOf(
  before: Reservation,
  form: Pick<Reservation, 'date' | 'time' | 'partySize' | 'guestName' | 'notes'>,
) {
  const changes: Partial<typeof form> = {};
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
  const bad = fieldOf(change.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    change.mutate();
  };
  return (
    <Dialog title={t('modify.title', { name: r.guestName })} testId="modify-dialog" onClose={props.onClose}>
      <form className="form" onSubmit={submit}>
        <div className="row">
          <Field label={t('booking.date')} invalid={bad === 'date'}>
            {(id) => (
              <input
                id={id}
                type="date"
                data-testid="modify-date"
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
                data-testid="modify-time"
                value={form.time}
                onChange={(e) => setForm({ ...form, time: e.target.value })}
              />
            )}
          </Field>
          <Field label={t('booking.partySize')} invalid={bad === 'partySize'}>
            {(id) => (
              <input
                id={id}
                type="number"
                min={1}
                inputMode="numeric"
                data-testid="modify-party"
                value={form.partySize}
                onChange={(e) => setForm({ ...form, partySize: e.target.valueAsNumber })}
              />
            )}
          </Field>
        </div>
        <Field label={t('booking.guestName')} invalid={bad === 'guestName'}>
          {(id) => (
            <input
              id={id}
              data-testid="modify-name"
              value={form.guestName}
              onChange={(e) => setForm({ ...form, guestName: e.target.value })}
            />
          )}
        </Field>
        <Field label={t('booking.notes')} invalid={bad === 'notes'}>
          {(id) => (
            <textarea
              id={id}
              data-testid="modify-notes"
              value={form.notes}
              onChange={(e) => setForm({ ...form, notes: e.target.value })}
            />
          )}
        </Field>
        <ErrorMessage error={change.error} />
        <div className="dialog-actions">
          <button type="button" onClick={props.onClose}>
            {t('common.back')}
          </button>
          <button type="submit" className="primary" data-testid="modify-save" disabled={change.isPending}>
            {t('common.save')}
          </button>
        </div>
      </form>
    </Dialog>
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
  const submit = (e: FormEvent) => {
    e.preventDefault();
    cancel.mutate();
  };
  return (
    <Dialog title={t('cancel.title', { name: r.guestName })} testId="cancel-dialog" onClose={props.onClose}>
      <form className="form" onSubmit={submit}>
        <Field label={t('cancel.reason')} invalid={fieldOf(cancel.error) === 'reason'}>
          {(id) => (
            <textarea
              id={id}
              data-testid="cancel-reason"
              value={reason}
              required
              onChange={(e) => setReason(e.target.value)}
            />
          )}
        </Field>
        <ErrorMessage error={cancel.error} />
        <div className="dialog-actions">
          <button type="button" onClick={props.onClose}>
            {t('common.back')}
          </button>
          <button
            type="submit"
            className="danger"
            data-testid="cancel-confirm"
            disabled={cancel.isPending || reason.trim() === ''}
          >
            {t('cancel.confirm')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
