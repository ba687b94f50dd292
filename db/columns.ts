/**
 * Small conversions between column values and domain values, shared by the
 * repositories. Kept here so every repository maps rows the same way.
 */

/** Key ids are stored as a JSON array of lowercase hex strings. */
export function encodeKeyIds(ids: readonly string[]): string {
  return JSON.stringify(ids.map((id) => id.toLowerCase()));
}

export function decodeKeyIds(text: string): string[] {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed) || !parsed.every((id) => typeof id === 'string')) {
    throw new Error('corrupt key id column');
  }
  return parsed;
}

/** BLOB columns come back as Buffer; the domain speaks Uint8Array. */
export function toBytes(value: Buffer | Uint8Array): Uint8Array {
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

export function toBlob(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
