import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { ApiFailure } from './api.js';

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

/** A native modal dialog: focus is trapped, Escape closes it, focus returns where it was. */
export function Dialog({ title, onClose, children }: { title: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current!;
    const before = document.activeElement as HTMLElement | null;
    d.showModal();
    return () => {
      d.close();
      before?.focus();
    };
  }, []);
  return (
    <dialog ref={ref} class="dialog" aria-label={title} onClose={onClose} onCancel={onClose}>
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
