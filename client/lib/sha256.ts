/** SHA-256 of bytes, as 64 lowercase hex digits (WebCrypto; the page's own copy of the bytes is hashed). */
export async function sha256Hex(bytes: Uint8Array | ArrayBuffer): Promise<string> {
  const input = bytes instanceof Uint8Array ? bytes.slice() : bytes;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', input));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
