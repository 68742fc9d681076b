import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ActionForm, type SubmitButton } from './action-form.js';
import { Dialog } from './dialog.js';

/** A dialog that is one form: its last row goes back (closes) or sends it. */
export function FormDialog(props: {
  title: string;
  testId: string;
  onClose: () => void;
  onSubmit: () => void;
  error: unknown;
  submit: SubmitButton;
  /** What the way back is called; "Back" unless said. */
  backLabel?: string;
  notice?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Dialog title={props.title} testId={props.testId} onClose={props.onClose}>
      <ActionForm
        className="form"
        onSubmit={props.onSubmit}
        error={props.error}
        submit={props.submit}
        back={{ label: props.backLabel ?? t('common.back'), onClick: props.onClose }}
        notice={props.notice}
      >
        {props.children}
      </ActionForm>
    </Dialog>
  );
}
