import type { Settings, Template } from '@reserveit/console-api';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldOf } from '../../api/errors.js';
import { segmentUnder } from '../../domain/field-paths.js';
import { Section } from './section.js';
import { TableHead } from './table-head.js';
import { useSaveSettings } from './use-save-settings.js';

const categories: readonly Template['category'][] = ['utility', 'marketing', 'authentication'];
const purposes: readonly Template['purpose'][] = [
  'staff',
  'reminder',
  'waitlist_offer',
  'no_show',
  'feedback',
  'staff_reply',
];

/** The WhatsApp templates approved for the restaurant: what staff may send outside the 24-hour window. */
export function TemplatesSection(props: { businessId: string; settings: Settings }) {
  const { t } = useTranslation();
  const saving = useSaveSettings(props.businessId, 'templates');
  const [templates, setTemplates] = useState<Template[]>(props.settings.templates);
  const badRow = segmentUnder(fieldOf(saving.save.error), 'templates');
  const set = (i: number, patch: Partial<Template>) =>
    setTemplates(templates.map((tpl, j) => (j === i ? { ...tpl, ...patch } : tpl)));
  return (
    <Section
      title={t('settings.templates')}
      testId="settings-templates"
      saving={saving}
      change={{ templates }}
    >
      <p className="muted">{t('templates.intro')}</p>
      <div className="table-wrap">
        <table className="table">
          <TableHead
            columns={[
              t('templates.name'),
              t('templates.language'),
              t('templates.parameters'),
              t('templates.category'),
              t('templates.purpose'),
            ]}
          />
          <tbody>
            {templates.map((tpl, i) => (
              <tr
                // A template being typed has no stable name yet; rows are edited in place.
                // biome-ignore lint/suspicious/noArrayIndexKey: see above
                key={i}
                className={badRow === String(i) ? 'invalid' : undefined}
                data-testid={`template-row-${i}`}
              >
                <td>
                  <input
                    aria-label={t('templates.name')}
                    dir="ltr"
                    value={tpl.name}
                    onChange={(e) => set(i, { name: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    aria-label={t('templates.language')}
                    dir="ltr"
                    size={6}
                    value={tpl.language}
                    onChange={(e) => set(i, { language: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    aria-label={t('templates.parameters')}
                    type="number"
                    min={0}
                    max={20}
                    value={tpl.bodyParameters}
                    onChange={(e) => set(i, { bodyParameters: e.target.valueAsNumber })}
                  />
                </td>
                <td>
                  <select
                    aria-label={t('templates.category')}
                    value={tpl.category}
                    onChange={(e) =>
                      set(i, { category: categories.find((c) => c === e.target.value) ?? 'utility' })
                    }
                  >
                    {categories.map((c) => (
                      <option key={c} value={c}>
                        {t(`templates.categories.${c}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <select
                    aria-label={t('templates.purpose')}
                    value={tpl.purpose}
                    onChange={(e) =>
                      set(i, { purpose: purposes.find((p) => p === e.target.value) ?? 'staff' })
                    }
                  >
                    {purposes.map((p) => (
                      <option key={p} value={p}>
                        {t(`templates.purposes.${p}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <button
                    type="button"
                    className="ghost"
                    onClick={() => setTemplates(templates.filter((_, j) => j !== i))}
                  >
                    {t('common.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button
        type="button"
        data-testid="template-add"
        onClick={() =>
          setTemplates([
            ...templates,
            { name: '', language: 'en', bodyParameters: 0, category: 'utility', purpose: 'staff' },
          ])
        }
      >
        {t('templates.add')}
      </button>
    </Section>
  );
}
