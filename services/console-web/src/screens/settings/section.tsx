import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ActionForm } from '../../ui/action-form.js';
import type { SettingsChange, SettingsSave } from './use-save-settings.js';

/** A settings card with its own Save: each section is sent alone, so one bad field blocks only it. */
export function Section(props: {
  title: string;
  testId: string;
  saving: SettingsSave;
  change: SettingsChange;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const { save, saved } = props.saving;
  return (
    <ActionForm
      className="card section"
      testId={props.testId}
      onSubmit={() => save.mutate(props.change)}
      error={save.error}
      submit={{ label: t('common.save'), testId: `${props.testId}-save`, disabled: save.isPending }}
      status={
        saved ? (
          <span className="saved" role="status">
            {t('settings.saved')}
          </span>
        ) : null
      }
    >
      <h2>{props.title}</h2>
      {props.children}
    </ActionForm>
  );
}
