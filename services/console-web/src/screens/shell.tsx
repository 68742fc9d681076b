import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, Navigate, Outlet, useNavigate, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, setCsrfToken } from '../api/client.js';
import { sectionsFor } from '../domain/access.js';
import { type LiveStatus, useLiveEvents } from '../live/use-live-events.js';
import { membershipOf, useSession } from '../session.js';
import { ErrorMessage } from '../ui/error-message.js';
import { LanguageSwitch } from '../ui/language-switch.js';
import { PasswordDialog } from './password-dialog.js';

function LiveIndicator(props: { status: LiveStatus }) {
  const { t } = useTranslation();
  return (
    <span
      className={`live live-${props.status}`}
      data-testid="live-status"
      data-status={props.status}
      role="status"
    >
      <span className="dot" aria-hidden="true" />
      {t(`live.${props.status}`)}
    </span>
  );
}

/** Opened only once the membership is known, so the EventSource never starts for a stranger's id. */
function Live(props: { businessId: string }) {
  return <LiveIndicator status={useLiveEvents(props.businessId)} />;
}

export function Shell() {
  const { t } = useTranslation();
  const { businessId } = useParams({ from: '/r/$businessId' });
  const session = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [changingPassword, setChangingPassword] = useState(false);
  const logout = useMutation({
    mutationFn: () => call('logout', {}),
    onSettled: async () => {
      setCsrfToken(null);
      queryClient.clear();
      await navigate({ to: '/login' });
    },
  });

  if (session.isPending) return <p className="loading">{t('common.loading')}</p>;
  if (session.isError) return <ErrorMessage error={session.error} />;
  if (session.data === null) return <Navigate to="/login" />;
  const membership = membershipOf(session.data, businessId);
  if (!membership) return <Navigate to="/" />;
  const sections = sectionsFor(membership.role);

  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <strong>{t('app.name')}</strong>
          {session.data.restaurants.length > 1 ? (
            <label>
              <span className="visually-hidden">{t('shell.restaurant')}</span>
              <select
                data-testid="restaurant-switch"
                value={businessId}
                onChange={(e) =>
                  navigate({ to: '/r/$businessId/day', params: { businessId: e.target.value } })
                }
              >
                {session.data.restaurants.map((r) => (
                  <option key={r.businessId} value={r.businessId}>
                    {r.name}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <span data-testid="restaurant-name">{membership.name}</span>
          )}
        </div>
        <nav className="tabs" aria-label={t('shell.sections')}>
          {sections.map((section) => (
            <Link
              key={section}
              to={`/r/$businessId/${section}`}
              params={{ businessId }}
              className="tab"
              activeProps={{ className: 'tab active', 'aria-current': 'page' }}
              data-testid={`nav-${section}`}
            >
              {t(`nav.${section}`)}
            </Link>
          ))}
        </nav>
        <div className="topbar-end">
          <Live key={businessId} businessId={businessId} />
          <LanguageSwitch />
          <button
            type="button"
            className="ghost who"
            data-testid="staff-name"
            title={t('password.title')}
            onClick={() => setChangingPassword(true)}
          >
            {session.data.staff.name}
          </button>
          <button type="button" className="ghost" data-testid="logout" onClick={() => logout.mutate()}>
            {t('shell.logout')}
          </button>
        </div>
      </header>
      <Outlet />
      {changingPassword ? <PasswordDialog onClose={() => setChangingPassword(false)} /> : null}
    </div>
  );
}

/** An owner-only screen reached by a host (an old link): back to the day view. */
export function OwnerOnly(props: { businessId: string; children: React.ReactNode }) {
  const session = useSession();
  const membership = session.data ? membershipOf(session.data, props.businessId) : undefined;
  if (membership?.role !== 'owner')
    return <Navigate to="/r/$businessId/day" params={{ businessId: props.businessId }} />;
  return props.children;
}
