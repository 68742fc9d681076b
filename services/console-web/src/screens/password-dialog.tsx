import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client.js';
import { fieldOf } from '../api/errors.js';
import { Dialog } from '../ui/dialog.js';
import { ErrorMessage } from '../ui/error-message.js';
import { Field } from '../ui/field.js';

/** The signed-in staff member's own password: how a one-time password given by an owner is replaced. */
export function PasswordDialog(props: { onClose: () => void }) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const change = useMutation({ mutationFn: () => call('changePassword', { body: { current, next } }) });
  const bad = fieldOf(change.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    change.mutate();
  };
  return (
    <Dialog title={t('password.title')} testId="password-dialog" onClose={props.onClose}>
      <form className="form" onSubmit={submit}>
        <Field label={t('password.current')} invalid={bad === 'current'}>
          {(id) => (
            <input
              id={id}
              type="password"
              autoComplete="current-password"
              data-testid="password-current"
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('password.next')} invalid={bad === 'next'} hint={t('password.hint')}>
          {(id) => (
            <input
              id={id}
              type="password"
              autoComplete="new-password"
              data-testid="password-next"
              value={next}
              onChange={(e) => setNext(e.target.value)}
            />
          )}
        </Field>
        <ErrorMessage error={change.error} />
        {change.isSuccess ? (
          <p className="saved" role="status" data-testid="password-changed">
            {t('password.changed')}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" onClick={props.onClose}>
            {t('common.close')}
          </button>
          <button type="submit" className="primary" data-testid="password-save" disabled={change.isPending}>
            {t('password.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
