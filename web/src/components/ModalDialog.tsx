import { useEffect, useId, useLayoutEffect, useRef, type ReactNode } from "react";

type Props = {
  title: string;
  onClose: () => void;
  children: ReactNode;
  className?: string | undefined;
};

/**
 * A modal dialog on the native <dialog>: `showModal()` makes the rest of the page inert (so Tab
 * stays inside), Escape closes it, and focus goes back to whatever opened it. It is open while
 * mounted. Focus starts on the element marked `data-autofocus`, if any. Keys pressed inside do
 * not reach the page's single-key shortcuts.
 */
export function ModalDialog({ title, onClose, children, className }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  useLayoutEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // showModal focuses the first focusable element (the close button); a dialog may name a better start.
    dialog.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    return () => {
      if (dialog.open) dialog.close();
      opener?.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`modal${className ? ` ${className}` : ""}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        // The parent unmounts the dialog; letting the browser close it too would leave a stale state.
        e.preventDefault();
        onCloseRef.current();
      }}
      onKeyDown={(e) => e.stopPropagation()}
    >
      <div className="modal-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="modal-close" aria-label="Close" onClick={() => onCloseRef.current()}>
          ×
        </button>
      </div>
      {children}
    </dialog>
  );
}
