import { type ReactNode, useId } from 'react';

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
