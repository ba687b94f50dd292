/**
 * English catalog for the workspace trust root (client/accounts/trust.ts,
 * client/team/trust-setup.ts; docs/protocol.md "v2: workspace trust root"): spread into
 * ./team.en.ts; the same key rules apply.
 */
export const teamTrustEn = {
  'trust.refused.uncertified': 'Nothing was sent. The server named a key ({who}) that your team’s recovery key has not certified. Your browser only encrypts to keys your team’s recovery key vouches for — a server that swapped in a key of its own would read what you send. Tell your administrator; do not try again until they have checked the server.',
  'trust.refused.noRoot': 'Nothing was sent. Your workspace does not hold your team’s recovery key fingerprint yet, so this browser cannot check whom it encrypts to. Sign out, sign in again and confirm the fingerprint against your printed recovery key.',
  'trust.refused.fingerprintMismatch': 'Nothing was certified or sent. The key the server lists for this person does not end as you typed it from their waiting page. Check what you typed; if it still differs, the key is not theirs — tell whoever runs the server.',
  'trust.refused.reporterKey': 'Nothing was sent. The reporter key the server named is not the one this report was encrypted to by the worker’s browser. Tell your administrator.',
  'trust.who.member': 'a member’s key',
  'trust.who.reporter': 'the reporter’s key',
  'trust.who.team': 'a team key',
  'trust.confirm.heading': 'Confirm your team’s recovery key',
  'trust.confirm.intro': 'Your account was made before this version of Ombud, so your workspace does not know your team’s recovery key yet. Your browser will check every key it encrypts to against it. The server says its fingerprint is:',
  'trust.confirm.compare': 'Compare it, group by group, with the fingerprint printed on your team’s recovery key sheet (or ask your administrator, who keeps it). Only confirm if every group is the same.',
  'trust.confirm.weaker': 'Until you confirm, your workspace sends nothing that is encrypted to someone (replies, notes, admissions, giving access). If the fingerprint differs, do not confirm: the server may be lying.',
  'trust.confirm.yes': 'It matches my printed recovery key',
  'trust.confirm.later': 'Not now',
  'trust.confirm.saving': 'Sealing the fingerprint into your key envelope…',
  'trust.confirm.failed': 'The fingerprint could not be stored: {reason}',
  'trust.teams.confirm': 'Confirm fingerprint',
  'trust.teams.confirmed': 'Confirmed',
  'trust.teams.heading': 'Confirm {team}’s recovery key',
  'trust.teams.intro': 'Before this workspace sends reports to {team} (on a worker’s behalf), confirm the fingerprint of their recovery key. Compare every group with the fingerprint on the recovery key sheet {team} printed when it was founded — by phone or in person with their administrator, not by e-mail from this server.',
  'trust.teams.password': 'Your password (seals the fingerprint into your key envelope)',
  'trust.teams.yes': 'It matches: confirm',
  'trust.teams.cancel': 'Cancel',
  'trust.teams.wrongPassword': 'That is not your password.',
  // origin room: the workspace's pinned code (client/team/pin/)
  'pin.refused': 'This workspace was not updated. The server offers a new version of the workspace’s code that is not signed by the release key this browser was set up with (or one of its files does not match the signed list). Your browser keeps running the code it already checked. Tell your administrator and whoever publishes Ombud releases for your deployment; until they have checked the server, do not sign in from a browser you have not used here before.',
  'pin.updated': 'A new signed version ({version}) of the workspace is ready. Reload the page to use it.',
} as const;
