import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { InputField } from '../../ui/field.js';

/** A date picked, then added to a list by its own button; an empty or already listed date cannot be. */
export function DateAdder(props: {
  label: string;
  invalid?: boolean;
  testId: string;
  taken: (date: string) => boolean;
  onAdd: (date: string) => void;
}) {
  const { t } = useTranslation();
  const [date, setDate] = useState('');
  return (
    <div className="row end">
      <InputField
        label={props.label}
        invalid={props.invalid}
        type="date"
        testId={`${props.testId}-input`}
        value={date}
        onValue={setDate}
      />
      <button
        type="button"
        data-testid={`${props.testId}-add`}
        disabled={date === '' || props.taken(date)}
        onClick={() => {
          props.onAdd(date);
          setDate('');
        }}
      >
        {t('common.add')}
      </button>
    </div>
  );
}
