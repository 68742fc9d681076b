import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A destructive action asked twice in place: no window.confirm, which a tablet may block and a
 * scripted browser dismisses.
 */
export function ConfirmButton(props: {
  label: string;
  confirmLabel: string;
  testId: string;
  disabled?: boolean;
  onConfirm: () => void;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        className="ghost danger-text"
        data-testid={props.testId}
        disabled={props.disabled}
        onClick={() => setAsking(true)}
      >
        {props.label}
      </button>
    );
  }
  return (
    <span className="confirm">
      <button
        type="button"
        className="danger"
        data-testid={`${props.testId}-confirm`}
        disabled={props.disabled}
        onClick={() => {
          setAsking(false);
          props.onConfirm();
        }}
      >
        {props.confirmLabel}
      </button>
      <button type="button" className="ghost" onClick={() => setAsking(false)}>
        {t('common.keep')}
      </button>
    </span>
  );
}
