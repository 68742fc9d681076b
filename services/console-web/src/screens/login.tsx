import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, setCsrfToken } from '../api/client.js';
import { ApiFailure, fieldOf } from '../api/errors.js';
import { keys } from '../domain/query-keys.js';
import { ErrorMessage } from '../ui/error-message.js';
import { InputField } from '../ui/field.js';
import { LanguageSwitch } from '../ui/language-switch.js';

export function LoginScreen() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await call('login', { body: { email, password } });
      setCsrfToken(session.csrfToken);
      queryClient.setQueryData(keys.session, session);
      await navigate({ to: '/' });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const status = error instanceof ApiFailure ? error.status : 0;
  // Wrong credentials and too many tries get a sentence of our own, not the server's.
  const refusal = status === 401 ? 'login.invalid' : status === 429 ? 'login.tooMany' : null;
  return (
    <main className="login">
      <form className="card login-form" data-testid="login-form" onSubmit={submit} noValidate>
        <div className="login-head">
          <h1>{t('app.name')}</h1>
          <LanguageSwitch />
        </div>
        <p className="muted">{t('login.intro')}</p>
        <InputField
          label={t('login.email')}
          invalid={fieldOf(error) === 'email'}
          type="email"
          dir="ltr"
          autoComplete="username"
          testId="login-email"
          value={email}
          onValue={setEmail}
          required
        />
        <InputField
          label={t('login.password')}
          invalid={fieldOf(error) === 'password'}
          type="password"
          dir="ltr"
          autoComplete="current-password"
          testId="login-password"
          value={password}
          onValue={setPassword}
          required
        />
        {refusal ? (
          <p className="error" role="alert" data-testid="login-error">
            {t(refusal)}
          </p>
        ) : (
          <ErrorMessage error={error} />
        )}
        <button type="submit" className="primary big" data-testid="login-submit" disabled={busy}>
          {busy ? t('login.signingIn') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}
