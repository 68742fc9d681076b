import type { Role } from '@reserveit/console-api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client.js';
import { fieldOf } from '../api/errors.js';
import { keys } from '../domain/query-keys.js';
import { useSession } from '../session.js';
import { ActionForm } from '../ui/action-form.js';
import { ConfirmButton } from '../ui/confirm-button.js';
import { ErrorMessage } from '../ui/error-message.js';
import { Field, InputField } from '../ui/field.js';
import { SecretNotice } from '../ui/secret-notice.js';
import { OwnerOnly } from './shell.js';

export function RoleSelect(props: { value: Role; testId: string; onChange: (role: Role) => void }) {
  const { t } = useTranslation();
  return (
    <Field label={t('staff.role')}>
      {(id) => (
        <select
          id={id}
          data-testid={props.testId}
          value={props.value}
          onChange={(e) => props.onChange(e.target.value === 'owner' ? 'owner' : 'host')}
        >
          <option value="host">{t('role.host')}</option>
          <option value="owner">{t('role.owner')}</option>
        </select>
      )}
    </Field>
  );
}

export function StaffScreen() {
  const { t } = useTranslation();
  const { businessId } = useParams({ from: '/r/$businessId/staff' });
  const queryClient = useQueryClient();
  const session = useSession();
  const [form, setForm] = useState<{ email: string; name: string; role: Role }>({
    email: '',
    name: '',
    role: 'host',
  });
  const [created, setCreated] = useState<{ email: string; oneTimePassword: string | null } | null>(null);
  const staff = useQuery({
    queryKey: keys.staff(businessId),
    queryFn: () => call('staff', { params: { businessId } }),
  });
  const add = useMutation({
    mutationFn: () => call('addStaff', { params: { businessId }, body: form }),
    onSuccess: async (result) => {
      setCreated({ email: result.member.email, oneTimePassword: result.oneTimePassword });
      setForm({ email: '', name: '', role: 'host' });
      await queryClient.invalidateQueries({ queryKey: keys.staff(businessId) });
    },
  });
  const remove = useMutation({
    mutationFn: (staffId: string) => call('removeStaff', { params: { businessId, staffId } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.staff(businessId) }),
  });
  const bad = fieldOf(add.error);
  const submit = () => {
    setCreated(null);
    add.mutate();
  };
  return (
    <OwnerOnly businessId={businessId}>
      <main className="settings">
        <section className="card section" data-testid="staff-list">
          <h2>{t('nav.staff')}</h2>
          <ErrorMessage error={staff.error} />
          <ul className="list">
            {staff.data?.map((m) => (
              <li key={m.staffId} className="list-row" data-testid={`staff-${m.staffId}`}>
                <div className="grow">
                  <strong>{m.name}</strong> <span className="muted">{m.email}</span>
                </div>
                <span className="badge">{t(`role.${m.role}`)}</span>
                {m.staffId === session.data?.staff.id ? (
                  <span className="muted">{t('staff.you')}</span>
                ) : (
                  <ConfirmButton
                    label={t('common.remove')}
                    confirmLabel={t('staff.confirmRemove', { name: m.name })}
                    testId={`staff-remove-${m.staffId}`}
                    disabled={remove.isPending}
                    onConfirm={() => remove.mutate(m.staffId)}
                  />
                )}
              </li>
            ))}
          </ul>
          <ErrorMessage error={remove.error} />
        </section>
        <ActionForm
          className="card section"
          testId="staff-add"
          onSubmit={submit}
          error={add.error}
          submit={{ label: t('staff.add'), testId: 'staff-add-submit', disabled: add.isPending }}
          notice={
            created ? (
              <SecretNotice
                testId="staff-created"
                secretTestId="one-time-password"
                message={
                  created.oneTimePassword === null
                    ? t('staff.existing', { email: created.email })
                    : t('staff.oneTimePassword', { email: created.email })
                }
                secret={created.oneTimePassword}
              />
            ) : null
          }
        >
          <h2>{t('staff.add')}</h2>
          <div className="row">
            <InputField
              label={t('staff.name')}
              invalid={bad === 'name'}
              testId="staff-name"
              value={form.name}
              onValue={(name) => setForm({ ...form, name })}
            />
            <InputField
              label={t('login.email')}
              invalid={bad === 'email'}
              type="email"
              dir="ltr"
              testId="staff-email"
              value={form.email}
              onValue={(email) => setForm({ ...form, email })}
            />
            <RoleSelect
              value={form.role}
              testId="staff-role"
              onChange={(role) => setForm({ ...form, role })}
            />
          </div>
        </ActionForm>
      </main>
    </OwnerOnly>
  );
}
