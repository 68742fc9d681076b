import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { keys } from '../../domain/query-keys.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { OwnerOnly } from '../shell.js';
import { FollowUpsSection } from './follow-ups-section.js';
import { GeneralSection } from './general-section.js';
import { GreetingsSection } from './greetings-section.js';
import { HoursSection } from './hours-section.js';
import { MenuSection } from './menu-section.js';
import { TemplatesSection } from './templates-section.js';

export function SettingsScreen() {
  const { t } = useTranslation();
  const { businessId } = useParams({ from: '/r/$businessId/settings' });
  const settings = useQuery({
    queryKey: keys.settings(businessId),
    queryFn: () => call('settings', { params: { businessId } }),
  });
  const sectionProps = settings.data ? { businessId, settings: settings.data } : null;
  return (
    <OwnerOnly businessId={businessId}>
      <main className="settings">
        {settings.isPending ? <p className="loading">{t('common.loading')}</p> : null}
        <ErrorMessage error={settings.error} />
        {sectionProps ? (
          <>
            {/* Each form starts from the settings and restarts when its part changes on the server
                (a save, or another owner's through the live "settings" event), keeping what is
                being typed in the other sections. */}
            <GeneralSection
              key={JSON.stringify([sectionProps.settings.name, sectionProps.settings.rules])}
              {...sectionProps}
            />
            <HoursSection key={JSON.stringify(sectionProps.settings.hours)} {...sectionProps} />
            <GreetingsSection key={JSON.stringify(sectionProps.settings.greetings)} {...sectionProps} />
            <TemplatesSection key={JSON.stringify(sectionProps.settings.templates)} {...sectionProps} />
            <FollowUpsSection
              key={JSON.stringify([sectionProps.settings.followUps, sectionProps.settings.templates])}
              {...sectionProps}
            />
            <MenuSection {...sectionProps} />
          </>
        ) : null}
      </main>
    </OwnerOnly>
  );
}
