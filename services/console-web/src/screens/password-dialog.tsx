import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client.js';
import { fieldOf } from '../api/errors.js';
import { InputField } from '../ui/field.js';
import { FormDialog } from '../ui/form-dialog.js';

/** The signed-in staff member's own password: how a one-time password given by an owner is replaced. */
export function PasswordDialog(props: { onClose: () => void }) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const change = useMutation({ mutationFn: () => call('changePassword', { body: { current, next } }) });
  const bad = fieldOf(change.error);
  return (
    <FormDialog
      title={t('password.title')}
      testId="password-dialog"
      onClose={props.onClose}
      onSubmit={() => change.mutate()}
      error={change.error}
      submit={{ label: t('password.save'), testId: 'password-save', disabled: change.isPending }}
      backLabel={t('common.close')}
      notice={
        change.isSuccess ? (
          <p className="saved" role="status" data-testid="password-changed">
            {t('password.changed')}
          </p>
        ) : null
      }
    >
      <InputField
        label={t('password.current')}
        invalid={bad === 'current'}
        type="password"
        autoComplete="current-password"
        testId="password-current"
        value={current}
        onValue={setCurrent}
      />
      <InputField
        label={t('password.next')}
        invalid={bad === 'next'}
        hint={t('password.hint')}
        type="password"
        autoComplete="new-password"
        testId="password-next"
        value={next}
        onValue={setNext}
      />
    </FormDialog>
  );
}
