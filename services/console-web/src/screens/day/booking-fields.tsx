import type { Reservation } from '@reserveit/console-api';
import { useTranslation } from 'react-i18next';
import { InputField, NumberField, TextAreaField } from '../../ui/field.js';

export type BookingValues = Pick<Reservation, 'date' | 'time' | 'partySize' | 'guestName' | 'notes'>;

/**
 * The fields the new-booking and modify dialogs share, each dialog placing them in its own order.
 * Test ids are `<prefix>-date`, `-time`, `-party`, `-name` and `-notes`.
 */
export function useBookingFields(props: {
  prefix: string;
  values: BookingValues;
  invalid: string | null;
  onChange: (change: Partial<BookingValues>) => void;
}) {
  const { t } = useTranslation();
  const { prefix, values, invalid, onChange } = props;
  return {
    date: (
      <InputField
        label={t('booking.date')}
        invalid={invalid === 'date'}
        type="date"
        testId={`${prefix}-date`}
        value={values.date}
        onValue={(date) => onChange({ date })}
      />
    ),
    time: (
      <InputField
        label={t('booking.time')}
        invalid={invalid === 'time'}
        type="time"
        testId={`${prefix}-time`}
        value={values.time}
        onValue={(time) => onChange({ time })}
      />
    ),
    partySize: (
      <NumberField
        label={t('booking.partySize')}
        invalid={invalid === 'partySize'}
        min={1}
        inputMode="numeric"
        testId={`${prefix}-party`}
        value={values.partySize}
        onValue={(partySize) => onChange({ partySize })}
      />
    ),
    guestName: (
      <InputField
        label={t('booking.guestName')}
        invalid={invalid === 'guestName'}
        testId={`${prefix}-name`}
        value={values.guestName}
        onValue={(guestName) => onChange({ guestName })}
      />
    ),
    notes: (
      <TextAreaField
        label={t('booking.notes')}
        invalid={invalid === 'notes'}
        testId={`${prefix}-notes`}
        value={values.notes}
        onValue={(notes) => onChange({ notes })}
      />
    ),
  };
}
