import type { MenuItem, Settings } from '@reserveit/console-api';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { ApiFailure, fieldOf } from '../../api/errors.js';
import { formatPrice, fromMinor, toMinor } from '../../domain/money.js';
import { keys } from '../../domain/query-keys.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { InputField, NumberField, TextAreaField } from '../../ui/field.js';
import { FormDialog } from '../../ui/form-dialog.js';
import { TableHead } from './table-head.js';

interface Draft {
  itemId: string;
  category: string;
  name: string;
  description: string;
  price: string;
  currency: string;
  dietaryTags: string;
  available: boolean;
  position: number;
}

function draftOf(item: MenuItem): Draft {
  return {
    ...item,
    price: fromMinor(item.priceMinor, item.currency),
    dietaryTags: item.dietaryTags.join(', '),
  };
}

function MenuItemDialog(props: { businessId: string; draft: Draft; isNew: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(props.draft);
  const save = useMutation({
    mutationFn: () => {
      const priceMinor = toMinor(draft.price, draft.currency);
      if (priceMinor === null) {
        throw new ApiFailure(400, {
          error: 'invalid_request',
          message: t('menu.badPrice'),
          field: 'priceMinor',
        });
      }
      return call('setMenuItem', {
        params: { businessId: props.businessId, itemId: draft.itemId.trim() },
        body: {
          category: draft.category.trim(),
          name: draft.name.trim(),
          description: draft.description,
          priceMinor,
          currency: draft.currency.trim().toUpperCase(),
          dietaryTags: draft.dietaryTags
            .split(',')
            .map((tag) => tag.trim())
            .filter((tag) => tag !== ''),
          available: draft.available,
          position: draft.position,
        },
      });
    },
    onSuccess: (settings) => {
      queryClient.setQueryData(keys.settings(props.businessId), settings);
      props.onClose();
    },
  });
  const bad = fieldOf(save.error);
  const text = (
    name: 'itemId' | 'category' | 'name' | 'currency' | 'dietaryTags',
    extra?: { dir?: 'ltr' },
  ) => (
    <InputField
      label={t(`menu.${name}`)}
      invalid={bad === name}
      testId={`menu-${name}`}
      disabled={name === 'itemId' && !props.isNew}
      value={draft[name]}
      dir={extra?.dir}
      onValue={(value) => setDraft({ ...draft, [name]: value })}
    />
  );
  return (
    <FormDialog
      title={props.isNew ? t('menu.add') : t('menu.edit')}
      testId="menu-dialog"
      onClose={props.onClose}
      onSubmit={() => save.mutate()}
      error={save.error}
      submit={{ label: t('common.save'), testId: 'menu-save', disabled: save.isPending }}
    >
      <div className="row">
        {text('itemId', { dir: 'ltr' })}
        {text('category')}
      </div>
      {text('name')}
      <TextAreaField
        label={t('menu.description')}
        invalid={bad === 'description'}
        testId="menu-description"
        value={draft.description}
        onValue={(description) => setDraft({ ...draft, description })}
      />
      <div className="row">
        <InputField
          label={t('menu.price')}
          invalid={bad === 'priceMinor'}
          inputMode="decimal"
          dir="ltr"
          testId="menu-price"
          value={draft.price}
          onValue={(price) => setDraft({ ...draft, price })}
        />
        {text('currency', { dir: 'ltr' })}
        <NumberField
          label={t('menu.position')}
          invalid={bad === 'position'}
          min={0}
          testId="menu-position"
          value={draft.position}
          onValue={(position) => setDraft({ ...draft, position })}
        />
      </div>
      {text('dietaryTags')}
      <label className="check">
        <input
          type="checkbox"
          data-testid="menu-available"
          checked={draft.available}
          onChange={(e) => setDraft({ ...draft, available: e.target.checked })}
        />
        {t('menu.available')}
      </label>
    </FormDialog>
  );
}

export function MenuSection(props: { businessId: string; settings: Settings }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<{ draft: Draft; isNew: boolean } | null>(null);
  const remove = useMutation({
    mutationFn: (itemId: string) =>
      call('removeMenuItem', { params: { businessId: props.businessId, itemId } }),
    onSuccess: (settings) => queryClient.setQueryData(keys.settings(props.businessId), settings),
  });
  // Served in the restaurant's order (sections as first added, dishes by position), the order
  // guests see it in: services/reservation/src/projection/queries.ts `menu`.
  const menu = props.settings.menu;
  const currency = props.settings.menu[0]?.currency ?? 'AED';
  return (
    <section className="card section" data-testid="settings-menu">
      <h2>{t('settings.menu')}</h2>
      <div className="table-wrap">
        <table className="table">
          <TableHead columns={[t('menu.category'), t('menu.name'), t('menu.price'), t('menu.available')]} />
          <tbody>
            {menu.map((item) => (
              <tr key={item.itemId} data-testid={`menu-item-${item.itemId}`}>
                <td>{item.category}</td>
                <td>
                  <strong>{item.name}</strong>
                  {item.dietaryTags.length > 0 ? (
                    <small className="muted"> · {item.dietaryTags.join(', ')}</small>
                  ) : null}
                </td>
                <td>{formatPrice(item.priceMinor, item.currency, i18n.language)}</td>
                <td>{item.available ? t('common.yes') : t('common.no')}</td>
                <td className="cell-actions">
                  <button type="button" onClick={() => setEditing({ draft: draftOf(item), isNew: false })}>
                    {t('common.edit')}
                  </button>
                  <ConfirmButton
                    label={t('common.remove')}
                    confirmLabel={t('menu.confirmRemove', { name: item.name })}
                    testId={`menu-remove-${item.itemId}`}
                    disabled={remove.isPending}
                    onConfirm={() => remove.mutate(item.itemId)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ErrorMessage error={remove.error} />
      <div className="dialog-actions">
        <button
          type="button"
          className="primary"
          data-testid="menu-add"
          onClick={() =>
            setEditing({
              isNew: true,
              draft: {
                itemId: '',
                category: '',
                name: '',
                description: '',
                price: '',
                currency,
                dietaryTags: '',
                available: true,
                position: props.settings.menu.length,
              },
            })
          }
        >
          {t('menu.add')}
        </button>
      </div>
      {editing ? (
        <MenuItemDialog
          businessId={props.businessId}
          draft={editing.draft}
          isNew={editing.isNew}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </section>
  );
}
