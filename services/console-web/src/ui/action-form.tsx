import type { FormEvent, ReactNode } from 'react';
import { ErrorMessage } from './error-message.js';

export interface SubmitButton {
  label: string;
  testId: string;
  disabled: boolean;
  danger?: boolean;
}

/**
 * A form sent by one button (or Enter in a field, without reloading the page): its fields, what went
 * wrong, a notice of what it did, then a row with an optional way back and the button.
 */
export function ActionForm(props: {
  className: string;
  testId?: string;
  onSubmit: () => void;
  error: unknown;
  submit: SubmitButton;
  back?: { label: string; onClick: () => void };
  notice?: ReactNode;
  /** Shown in the button row, before the buttons (e.g. "saved"). */
  status?: ReactNode;
  children: ReactNode;
}) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSubmit();
  };
  return (
    <form className={props.className} data-testid={props.testId} onSubmit={submit}>
      {props.children}
      <ErrorMessage error={props.error} />
      {props.notice}
      <div className="dialog-actions">
        {props.status}
        {props.back ? (
          <button type="button" onClick={props.back.onClick}>
            {props.back.label}
          </button>
        ) : null}
        <button
          type="submit"
          className={props.submit.danger ? 'danger' : 'primary'}
          data-testid={props.submit.testId}
          disabled={props.submit.disabled}
        >
          {props.submit.label}
        </button>
      </div>
    </form>
  );
}
