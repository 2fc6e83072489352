import { useId } from "react";
import { CopyButton } from "./CopyButton.tsx";

/** A secret the server shows only once: visible, selectable, copyable, with a warning and a way to hide it. */
export function SecretOnce({ title, secret, note, onDone }: { title: string; secret: string; note: string; onDone: () => void }) {
  const id = useId();
  return (
    <section className="secret-once alert alert-info" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p>{note} It is shown only now: copy it and keep it somewhere safe.</p>
      <div className="secret-row">
        <label className="visually-hidden" htmlFor={`${id}-value`}>
          {title}
        </label>
        <input id={`${id}-value`} type="text" readOnly value={secret} className="mono" onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={secret} />
      </div>
      <button type="button" className="link-button" onClick={onDone}>
        I have stored it, hide it
      </button>
    </section>
  );
}
