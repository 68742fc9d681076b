import { useTranslation } from 'react-i18next';
import { ApiFailure, NetworkFailure } from '../api/errors.js';

/** The server's message as it said it; a network failure or a bug as a sentence of our own. */
export function ErrorMessage(props: { error: unknown }) {
  const { t } = useTranslation();
  if (props.error === null || props.error === undefined) return null;
  let text: string;
  if (props.error instanceof ApiFailure) text = props.error.body.message;
  else if (props.error instanceof NetworkFailure) text = t('error.network');
  else text = t('error.unexpected');
  return (
    <p className="error" role="alert" data-testid="error">
      {text}
    </p>
  );
}
