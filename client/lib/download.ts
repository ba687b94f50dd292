/** Saving and printing on the user's own device; nothing here talks to the server. */

/** Offers `text` as a file download (a Blob URL, revoked shortly after). */
export function downloadText(filename: string, text: string, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers start the download after click() returns; give them time.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Prints the page; elements with the class `no-print` are left out (styles.css). */
export function printPage(): void {
  window.print();
}

/** Copies text; false if the browser refused (e.g. not a secure context). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
