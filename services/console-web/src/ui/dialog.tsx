import { type ReactNode, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/** A modal on the native <dialog>: focus trap, Escape and the backdrop come from the browser. */
export function Dialog(props: { title: string; testId: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const { t } = useTranslation();
  // No close() on unmount: removing the element ends the modal, and a close() would fire `close`
  // after StrictMode's remount, closing the dialog it just opened.
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog"
      data-testid={props.testId}
      aria-label={props.title}
      onClose={props.onClose}
    >
      <header className="dialog-head">
        <h2>{props.title}</h2>
        <button type="button" className="ghost" onClick={props.onClose}>
          {t('common.close')}
        </button>
      </header>
      {props.children}
    </dialog>
  );
}
