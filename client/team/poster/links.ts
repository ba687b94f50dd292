/**
 * Addresses of the poster page (/poster, client/poster.html), for links from
 * the team workspace (the channels list: “Print poster”, “Print cards”):
 *
 *     /poster#/<slug>            the A4 posters, one page per language
 *     /poster#/<slug>/cards      the wallet cards, one sheet per language
 *     /poster#/<slug>/poster/zh-CN,hi   only these languages, in this order
 *
 * The hash keeps the choice out of server logs and lets the page switch
 * without reloading. Nothing in it is secret.
 */
export type PrintKind = 'poster' | 'cards';

export interface PosterRoute {
  slug: string;
  kind: PrintKind;
  /** undefined: the channel's own languages. */
  languages: string[] | undefined;
}

export function posterHref(slug: string, kind: PrintKind = 'poster', languages?: readonly string[]): string {
  const langs = languages && languages.length > 0 ? `/${languages.join(',')}` : '';
  return `/poster#/${encodeURIComponent(slug)}${kind === 'cards' || langs ? `/${kind}` : ''}${langs}`;
}

export function readPosterRoute(hash: string): PosterRoute | undefined {
  const match = /^#?\/([a-z0-9-]+)(?:\/(poster|cards)(?:\/([A-Za-z0-9,-]+))?)?\/?$/.exec(hash);
  if (!match) return undefined;
  const languages = match[3]?.split(',').filter((lang) => lang !== '');
  return { slug: match[1]!, kind: (match[2] as PrintKind | undefined) ?? 'poster', languages: languages?.length ? languages : undefined };
}

/**
 * The first 16 hex digits of a recovery key's fingerprint in groups of four,
 * upper case as GnuPG prints them (`gpg --show-keys recovery.asc`): enough
 * for an administrator to see that the poster pins the key their team printed.
 */
export function keyCheckGroups(fingerprint: string): string {
  return (fingerprint.toUpperCase().slice(0, 16).match(/.{1,4}/g) ?? []).join(' ');
}
