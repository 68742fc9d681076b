import { type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes, useId } from 'react';

/** A labelled input; `invalid` comes from the server's (or the schema's) `field`. */
export function Field(props: {
  label: string;
  invalid?: boolean;
  hint?: string;
  children: (id: string) => ReactNode;
}) {
  const id = useId();
  return (
    <div className={props.invalid ? 'field invalid' : 'field'}>
      <label htmlFor={id}>{props.label}</label>
      {props.children(id)}
      {props.hint ? <small className="hint">{props.hint}</small> : null}
    </div>
  );
}

interface Labelled<T> {
  label: string;
  invalid?: boolean;
  hint?: string;
  testId: string;
  value: T;
  onValue: (value: T) => void;
}

/** A Field around one control: the control gets the label's id, the test id and the value. */
function labelled<T, A extends object>(
  props: Labelled<T> & A,
  control: (
    attributes: Omit<A, keyof Labelled<T>> & { id: string; 'data-testid': string; value: T },
  ) => ReactNode,
) {
  const { label, invalid, hint, testId, value, onValue: _, ...attributes } = props;
  return (
    <Field label={label} invalid={invalid} hint={hint}>
      {(id) => control({ ...attributes, id, 'data-testid': testId, value })}
    </Field>
  );
}

type InputAttributes = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange'>;

/** A labelled text input (the rest of the props go to the <input>, e.g. type, dir, autoComplete). */
export function InputField(props: Labelled<string> & InputAttributes) {
  return labelled(props, (input) => <input {...input} onChange={(e) => props.onValue(e.target.value)} />);
}

/** A labelled number input; what is typed is handed on as a number (NaN while it is not one). */
export function NumberField(props: Labelled<number> & Omit<InputAttributes, 'type'>) {
  return labelled(props, (input) => (
    <input {...input} type="number" onChange={(e) => props.onValue(e.target.valueAsNumber)} />
  ));
}

type TextAreaAttributes = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'value' | 'onChange'>;

export function TextAreaField(props: Labelled<string> & TextAreaAttributes) {
  return labelled(props, (textarea) => (
    <textarea {...textarea} onChange={(e) => props.onValue(e.target.value)} />
  ));
}
