/**
 * Showing the attachments of a decrypted report (team workspace, status
 * page). The names and types come from inside the report — untrusted input,
 * checked here — and a decrypted file is previewed only when its own bytes
 * say it is a picture, a video or a sound: a blob URL shares the page's
 * origin, so an HTML or SVG file must never be opened as one. Anything else
 * is offered as a download of opaque bytes.
 */
import type { AttachmentRef } from '../../common/api.ts';
import { LIMITS } from '../../common/limits.ts';
import type { AttachmentMeta } from '../../common/report.ts';
import { h } from '../lib/dom.ts';
import { mediaType, sniff } from './sniff.ts';

const isString = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

/** The `attachments` of a decrypted report, keeping only well-formed entries. */
export function attachmentMetas(report: unknown): AttachmentMeta[] {
  const list = (report as { attachments?: unknown } | undefined)?.attachments;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown): AttachmentMeta[] => {
    const e = entry as Record<string, unknown> | null;
    if (!e || !isString(e.id, 64) || !isString(e.name, LIMITS.attachmentNameChars) || !isString(e.type, 100)) return [];
    if (typeof e.size !== 'number' || !Number.isFinite(e.size) || e.size < 0) return [];
    return [{ id: e.id, name: e.name, type: e.type, size: e.size, kind: e.kind === 'voice' ? 'voice' : 'file' }];
  });
}

/** Each attachment the server lists, with its name and type from the report (or none, if the report does not say). */
export function joinAttachments(server: readonly AttachmentRef[], metas: readonly AttachmentMeta[]): Array<AttachmentRef & { meta?: AttachmentMeta }> {
  return server.map((ref) => ({ ...ref, meta: metas.find((m) => m.id === ref.id) }));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * A preview element for decrypted bytes (img / video / audio on a blob URL)
 * when the bytes are a picture, video or sound; undefined otherwise.
 * `release()` revokes the URL.
 */
export function previewElement(bytes: Uint8Array, meta: AttachmentMeta | undefined): { element: HTMLElement; release(): void } | undefined {
  const kind = sniff(bytes.subarray(0, 64));
  if (!kind || kind === 'pdf') return undefined;
  const audio = meta?.kind === 'voice' || (meta?.type.startsWith('audio/') ?? false) || kind === 'ogg' || kind === 'wav';
  const type = mediaType(kind, audio);
  const url = URL.createObjectURL(new Blob([bytes.slice()], { type }));
  const element = type.startsWith('image/')
    ? h('img', { attrs: { src: url, alt: meta?.name ?? '' } })
    : type.startsWith('video/')
      ? h('video', { attrs: { src: url, controls: '', preload: 'metadata' } })
      : h('audio', { attrs: { src: url, controls: '', preload: 'metadata' } });
  return { element, release: () => URL.revokeObjectURL(url) };
}

/** Saves decrypted bytes under their original name, as opaque bytes (never rendered by the browser). */
export function saveBytes(bytes: Uint8Array, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes.slice()], { type: 'application/octet-stream' }));
  const link = h('a', { attrs: { href: url, download: safeName(name) } });
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name without path separators or control characters. */
export function safeName(name: string): string {
  const cleaned = [...name].filter((c) => c.charCodeAt(0) >= 0x20 && c !== '/' && c !== '\\').join('').trim();
  return cleaned.slice(0, 120) || 'attachment';
}

/**
 * A heading and the names (with sizes) of a case's files, in a section placed
 * right after `anchor` (created once, hidden when there are none).
 */
export function renderAttachmentNames(anchor: HTMLElement, options: { id: string; heading: string; unnamed: string; rows: ReturnType<typeof joinAttachments> }): void {
  let section = document.getElementById(options.id);
  if (!section) {
    section = h('section', { id: options.id });
    anchor.after(section);
  }
  section.hidden = options.rows.length === 0;
  section.replaceChildren(
    ...(options.rows.length === 0
      ? []
      : [
          h('h3', { text: options.heading }),
          h('ul', { class: 'attachment-files' }, ...options.rows.map((row) =>
            h('li', { attrs: { 'data-attachment-id': row.id }, text: `${row.meta?.name ?? options.unnamed} · ${formatBytes(row.meta?.size ?? row.size)}` }))),
        ]),
  );
}
