import type { ConversationDetail } from '@reserveit/console-api';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { ApiFailure } from '../../api/errors.js';
import { windowOpen } from '../../domain/messages.js';
import { keys } from '../../domain/query-keys.js';
import { fillTemplate, resizeParameters, templateKey } from '../../domain/templates.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { Field } from '../../ui/field.js';
import { useRequestId } from '../../ui/use-request-id.js';

type Reply = { text: string } | { template: { name: string; language: string; parameters: string[] } };

/**
 * Free text inside WhatsApp's 24-hour window, only an approved template outside it. A retried
 * click (after a network error) reuses its request id, so the guest gets the message once.
 */
export function Composer(props: { businessId: string; detail: ConversationDetail; now: Date }) {
  const { t } = useTranslation();
  const { businessId, detail } = props;
  const conversationId = detail.conversation.id;
  const queryClient = useQueryClient();
  const requestIds = useRequestId();
  const [text, setText] = useState('');
  const [templateChoice, setTemplateChoice] = useState('');
  const [parameters, setParameters] = useState<string[]>([]);
  const [missing, setMissing] = useState<number[]>([]);
  const open = windowOpen(detail.windowOpenUntil, props.now);
  const template = detail.templates.find((tpl) => templateKey(tpl) === templateChoice);

  const send = useMutation({
    mutationFn: (reply: Reply) => {
      const requestId = requestIds.next(JSON.stringify(reply));
      return call('reply', { params: { businessId, conversationId }, body: { requestId, ...reply } });
    },
    onSettled: (_data, error) => requestIds.settle(error),
    onSuccess: async () => {
      setText('');
      setParameters(resizeParameters([], template?.bodyParameters ?? 0));
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.conversation(businessId, conversationId) }),
        queryClient.invalidateQueries({ queryKey: keys.inbox(businessId) }),
      ]);
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (open) {
      if (text.trim() !== '') send.mutate({ text });
      return;
    }
    if (!template) return;
    const filled = fillTemplate(template, parameters);
    setMissing(filled.ok ? [] : filled.missing);
    if (filled.ok) send.mutate({ template: filled.template });
  }

  return (
    <form
      className="composer"
      data-testid="composer"
      data-mode={open ? 'text' : 'template'}
      onSubmit={submit}
    >
      {open ? (
        <label className="grow">
          <span className="visually-hidden">{t('composer.message')}</span>
          <textarea
            data-testid="composer-text"
            dir="auto"
            placeholder={t('composer.placeholder')}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
          />
        </label>
      ) : (
        <div className="grow template-form">
          <p className="notice" data-testid="window-closed">
            {t('composer.windowClosed')}
          </p>
          {detail.templates.length === 0 ? (
            <p className="muted">{t('composer.noTemplates')}</p>
          ) : (
            <Field label={t('composer.template')}>
              {(id) => (
                <select
                  id={id}
                  data-testid="composer-template"
                  value={templateChoice}
                  onChange={(e) => {
                    const next = detail.templates.find((tpl) => templateKey(tpl) === e.target.value);
                    setTemplateChoice(e.target.value);
                    setParameters((values) => resizeParameters(values, next?.bodyParameters ?? 0));
                    setMissing([]);
                  }}
                >
                  <option value="">{t('composer.pickTemplate')}</option>
                  {detail.templates.map((tpl) => (
                    <option key={templateKey(tpl)} value={templateKey(tpl)}>
                      {tpl.name} ({tpl.language})
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          {parameters.map((value, i) => (
            // Parameters are positional ({{1}}, {{2}} …): the index is their identity.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <Field key={i} label={t('composer.parameter', { n: i + 1 })} invalid={missing.includes(i)}>
              {(id) => (
                <input
                  id={id}
                  data-testid={`composer-parameter-${i + 1}`}
                  value={value}
                  onChange={(e) => setParameters(parameters.map((v, j) => (j === i ? e.target.value : v)))}
                />
              )}
            </Field>
          ))}
        </div>
      )}
      <button
        type="submit"
        className="primary big"
        data-testid="send"
        disabled={send.isPending || (open ? text.trim() === '' : !template)}
      >
        {send.isPending ? t('composer.sending') : t('composer.send')}
      </button>
      {send.error ? (
        <div className="composer-error">
          <ErrorMessage error={send.error} />
          {!(send.error instanceof ApiFailure) ? (
            <small className="muted">{t('composer.retrySafe')}</small>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
