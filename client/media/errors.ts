/** A file whose structure does not match its kind: the form refuses it rather than send it unstripped. */
export class MediaFormatError extends Error {
  override name = 'MediaFormatError';
}
