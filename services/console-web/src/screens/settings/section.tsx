import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../ui/error-message.js';

/** A settings card with its own Save: each section is sent alone, so one bad field blocks only it. */
export function Section(props: {
  title: string;
  testId: string;
  error: unknown;
  saving: boolean;
  saved: boolean;
  onSave: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSave();
  };
  return (
    <form className="card section" data-testid={props.testId} onSubmit={submit}>
      <h2>{props.title}</h2>
      {props.children}
      <ErrorMessage error={props.error} />
      <div className="dialog-actions">
        {props.saved ? (
          <span className="saved" role="status">
            {t('settings.saved')}
          </span>
        ) : null}
        <button
          type="submit"
          className="primary"
          data-testid={`${props.testId}-save`}
          disabled={props.saving}
        >
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}
