/**
 * The systemd unit and the torrc snippet of deploy/, checked by the real
 * programs: `systemd-analyze verify` (which also fails on an unknown key or a
 * missing executable) and `tor --verify-config` with a temporary
 * DataDirectory and HiddenServiceDir. The files checked are the recipes
 * themselves; only machine paths are replaced.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const PATH = `${process.env.PATH ?? ''}:/usr/sbin:/sbin`;
const temp = mkdtempSync(join(tmpdir(), 'ombud-recipes-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, PATH } });
  if (result.error) throw new Error(`${command} is missing (bash scripts/ensure-system-deps.sh installs it): ${result.error.message}`);
  return result;
}

/** `key=value` lines of the unit, later keys appended (systemd's own rule for list settings). */
function unitSettings(text: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (match) settings.set(match[1]!, [...(settings.get(match[1]!) ?? []), match[2]!]);
  }
  return settings;
}

describe('deploy/systemd/ombud.service', () => {
  const unit = readFileSync('deploy/systemd/ombud.service', 'utf8');

  it('passes systemd-analyze verify with no warning', () => {
    // verify needs the ExecStart binary to exist: point it at this machine's node.
    const path = join(temp, 'ombud.service');
    writeFileSync(path, unit.replace('ExecStart=/usr/bin/node ', `ExecStart=${process.execPath} `));
    const result = run('systemd-analyze', ['verify', path]);
    expect(result.stderr.trim()).toBe('');
    expect(result.status).toBe(0);
  });

  it('verify would catch a mistyped hardening key (the check can fail)', () => {
    const path = join(temp, 'typo.service');
    writeFileSync(path, unit.replace('ExecStart=/usr/bin/node ', `ExecStart=${process.execPath} `).replace('ProtectSystem=', 'ProtectSystm='));
    expect(run('systemd-analyze', ['verify', path]).stderr).toMatch(/Unknown key 'ProtectSystm'/);
  });

  it('runs the release build as its own user, read-only but for the data folder, with no privileges', () => {
    const s = unitSettings(unit);
    expect(s.get('ExecStart')).toEqual(['/usr/bin/node /opt/ombud/dist/server/main.js']);
    expect(s.get('User')).toEqual(['ombud']);
    expect(s.get('EnvironmentFile')).toEqual(['/etc/ombud/ombud.env']);
    expect(s.get('ProtectSystem')).toEqual(['strict']);
    expect(s.get('ReadWritePaths')).toEqual(['/var/lib/ombud']);
    for (const key of ['NoNewPrivileges', 'PrivateTmp', 'ProtectHome', 'PrivateDevices', 'RestrictSUIDSGID', 'LockPersonality']) {
      expect(s.get(key), key).toEqual(['yes']);
    }
    expect(s.get('CapabilityBoundingSet')).toEqual(['']);
    expect(s.get('RestrictAddressFamilies')).toEqual(['AF_INET AF_INET6 AF_UNIX']);
    expect(s.get('SystemCallFilter')).toEqual(['@system-service']);
    // V8's JIT writes and then runs machine code: Node aborts under MemoryDenyWriteExecute.
    expect(s.has('MemoryDenyWriteExecute')).toBe(false);
  });
});

describe('deploy/tor/torrc', () => {
  const torrc = readFileSync('deploy/tor/torrc', 'utf8');

  function verify(text: string) {
    const dir = mkdtempSync(join(temp, 'tor-'));
    const hs = join(dir, 'hs');
    mkdirSync(hs);
    chmodSync(hs, 0o700);
    const config = join(dir, 'torrc');
    writeFileSync(config, `${text.replace('/var/lib/tor/ombud/', `${hs}/`)}\nDataDirectory ${join(dir, 'data')}\n`);
    return run('tor', ['--verify-config', '-f', config]);
  }

  it('is a valid tor configuration', () => {
    const result = verify(torrc);
    expect(result.stdout).toMatch(/Configuration was valid/);
    expect(result.status).toBe(0);
  });

  it('tor --verify-config refuses a broken one (the check can fail)', () => {
    expect(verify(torrc.replace('HiddenServicePort 80 ', 'HiddenServicePort eighty ')).status).not.toBe(0);
  });

  it('is a v3 onion service that reaches Ombud through the proxy, with no SOCKS port', () => {
    expect(torrc).toMatch(/^HiddenServiceVersion 3$/m);
    expect(torrc).toMatch(/^HiddenServicePort 80 127\.0\.0\.1:8081$/m);
    expect(torrc).toMatch(/^SocksPort 0$/m);
    // Both proxy recipes listen there.
    expect(readFileSync('deploy/nginx/ombud.conf', 'utf8')).toMatch(/listen 127\.0\.0\.1:8081;/);
    expect(readFileSync('deploy/caddy/Caddyfile', 'utf8')).toMatch(/^http:\/\/:8081 \{\n\tbind 127\.0\.0\.1$/m);
  });
});
