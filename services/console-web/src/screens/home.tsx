import { Link, Navigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session.js';
import { ErrorMessage } from '../ui/error-message.js';
import { LanguageSwitch } from '../ui/language-switch.js';

/** Straight to the restaurant when there is one; a choice when the staff member works at several. */
export function HomeScreen() {
  const { t } = useTranslation();
  const session = useSession();
  if (session.isPending) return <p className="loading">{t('common.loading')}</p>;
  if (session.isError) return <ErrorMessage error={session.error} />;
  if (session.data === null) return <Navigate to="/login" />;
  const restaurants = session.data.restaurants;
  if (restaurants.length === 1) {
    return <Navigate to="/r/$businessId/day" params={{ businessId: restaurants[0]!.businessId }} />;
  }
  return (
    <main className="picker">
      <div className="card">
        <div className="login-head">
          <h1>{t('picker.title')}</h1>
          <LanguageSwitch />
        </div>
        {restaurants.length === 0 ? <p>{t('picker.none')}</p> : null}
        <ul className="picker-list">
          {restaurants.map((r) => (
            <li key={r.businessId}>
              <Link
                to="/r/$businessId/day"
                params={{ businessId: r.businessId }}
                className="button big"
                data-testid={`restaurant-${r.businessId}`}
              >
                <span>{r.name}</span>
                <small className="muted">{t(`role.${r.role}`)}</small>
              </Link>
            </li>
          ))}
        </ul>
      </div>
    </main>
  );
}
