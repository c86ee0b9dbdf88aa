import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { type ApiFailure } from './api.js';

export function ErrorBox({ error, title }: { error: ApiFailure | string | undefined; title?: string }) {
  if (!error) return null;
  const message = typeof error === 'string' ? error : error.message;
  return (
    <div class="alert alert-error" role="alert">
      {title && <strong>{title}: </strong>}
      {message}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <p class="empty-title">{title}</p>
      {children && <p class="muted">{children}</p>}
    </div>
  );
}

/** Grey bars of the size of what is coming, so the page does not shift when it arrives. */
export function Placeholder({ rows = 3 }: { rows?: number }) {
  return (
    <div class="placeholder" aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} class="placeholder-row" />
      ))}
    </div>
  );
}

export function Badge({ kind, children }: { kind: 'ok' | 'bad' | 'warn' | 'neutral'; children: ComponentChildren }) {
  return <span class={`badge badge-${kind}`}>{children}</span>;
}

/**
 * A native modal dialog: focus is trapped, Escape closes it, focus returns where it was. Escape is
 * handled as `cancel` and the dialog is closed by unmounting it: a `close` event fired by the
 * unmount would otherwise reach a handler of the state that replaced it (a dialog opening another).
 */
export function Dialog({ title, onClose, children }: { title: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    const d = ref.current!;
    const before = document.activeElement as HTMLElement | null;
    const cancel = (e: Event) => {
      e.preventDefault();
      closeRef.current();
    };
    d.addEventListener('cancel', cancel);
    d.showModal();
    return () => {
      d.removeEventListener('cancel', cancel);
      d.close();
      before?.focus();
    };
  }, []);
  return (
    <dialog ref={ref} class="dialog" aria-label={title}>
      <h2>{title}</h2>
      {children}
    </dialog>
  );
}

export function Copyable({ value, label }: { value: string; label: string }) {
  return (
    <div class="copyable">
      <code aria-label={label}>{value}</code>
      <button type="button" class="btn btn-small" onClick={() => void navigator.clipboard?.writeText(value)}>
        Copy
      </button>
    </div>
  );
}
