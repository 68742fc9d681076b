import type { Role } from '@reserveit/console-api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client.js';
import { fieldOf } from '../api/errors.js';
import { keys } from '../domain/query-keys.js';
import { ActionForm } from '../ui/action-form.js';
import { ConfirmButton } from '../ui/confirm-button.js';
import { ErrorMessage } from '../ui/error-message.js';
import { InputField } from '../ui/field.js';
import { SecretNotice } from '../ui/secret-notice.js';
import { OwnerOnly } from './shell.js';
import { RoleSelect } from './staff-screen.js';

export function TokensScreen() {
  const { t, i18n } = useTranslation();
  const { businessId } = useParams({ from: '/r/$businessId/tokens' });
  const queryClient = useQueryClient();
  const [form, setForm] = useState<{ name: string; role: Role }>({ name: '', role: 'host' });
  const [secret, setSecret] = useState<string | null>(null);
  const tokens = useQuery({
    queryKey: keys.tokens(businessId),
    queryFn: () => call('tokens', { params: { businessId } }),
  });
  const create = useMutation({
    mutationFn: () => call('createToken', { params: { businessId }, body: form }),
    onSuccess: async (result) => {
      setSecret(result.secret);
      setForm({ name: '', role: 'host' });
      await queryClient.invalidateQueries({ queryKey: keys.tokens(businessId) });
    },
  });
  const revoke = useMutation({
    mutationFn: (tokenId: string) => call('revokeToken', { params: { businessId, tokenId } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.tokens(businessId) }),
  });
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  const submit = () => {
    setSecret(null);
    create.mutate();
  };
  return (
    <OwnerOnly businessId={businessId}>
      <main className="settings">
        <section className="card section" data-testid="token-list">
          <h2>{t('nav.tokens')}</h2>
          <p className="muted">{t('tokens.intro')}</p>
          <ErrorMessage error={tokens.error} />
          {tokens.data?.length === 0 ? <p className="muted">{t('tokens.none')}</p> : null}
          <ul className="list">
            {tokens.data?.map((token) => (
              <li key={token.id} className="list-row" data-testid={`token-${token.id}`}>
                <div className="grow">
                  <strong>{token.name}</strong>{' '}
                  <small className="muted">
                    {t('tokens.created', { when: when.format(new Date(token.createdAt)) })} ·{' '}
                    {token.lastUsedAt
                      ? t('tokens.lastUsed', { when: when.format(new Date(token.lastUsedAt)) })
                      : t('tokens.neverUsed')}
                  </small>
                </div>
                <span className="badge">{t(`role.${token.role}`)}</span>
                <ConfirmButton
                  label={t('tokens.revoke')}
                  confirmLabel={t('tokens.confirmRevoke', { name: token.name })}
                  testId={`token-revoke-${token.id}`}
                  disabled={revoke.isPending}
                  onConfirm={() => revoke.mutate(token.id)}
                />
              </li>
            ))}
          </ul>
          <ErrorMessage error={revoke.error} />
        </section>
        <ActionForm
          className="card section"
          testId="token-create"
          onSubmit={submit}
          error={create.error}
          submit={{ label: t('tokens.create'), testId: 'token-create-submit', disabled: create.isPending }}
          notice={
            secret ? (
              <SecretNotice
                testId="token-created"
                secretTestId="token-secret"
                message={t('tokens.secret')}
                secret={secret}
              />
            ) : null
          }
        >
          <h2>{t('tokens.create')}</h2>
          <div className="row">
            <InputField
              label={t('tokens.name')}
              invalid={fieldOf(create.error) === 'name'}
              testId="token-name"
              value={form.name}
              onValue={(name) => setForm({ ...form, name })}
            />
            <RoleSelect
              value={form.role}
              testId="token-role"
              onChange={(role) => setForm({ ...form, role })}
            />
          </div>
        </ActionForm>
      </main>
    </OwnerOnly>
  );
}
