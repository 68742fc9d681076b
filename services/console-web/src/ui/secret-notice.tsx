import { useTranslation } from 'react-i18next';

/** A secret the server shows once (a token, a one-time password), or only the message when there is none. */
export function SecretNotice(props: {
  testId: string;
  secretTestId: string;
  message: string;
  secret: string | null;
}) {
  const { t } = useTranslation();
  return (
    <div className="notice secret" data-testid={props.testId} role="status">
      <p>{props.message}</p>
      {props.secret === null ? null : (
        <>
          <code dir="ltr" data-testid={props.secretTestId}>
            {props.secret}
          </code>
          <p className="muted">{t('common.shownOnce')}</p>
        </>
      )}
    </div>
  );
}
