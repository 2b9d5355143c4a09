import { isIP } from 'node:net';

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1 (also IPv4-mapped) and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice(7) : bare;
  if (isIP(v4) === 4) return v4.split('.')[0] === '127';
  if (isIP(bare) === 6) return /^(0{0,4}:){2,7}0{0,3}1$/.test(bare) || bare === '::1';
  return false;
}

/** The one message for `auth: none` on a wider bind, used by the config check and by the HTTP face. */
export function authNoneRefusal(host: string): string {
  return `none is allowed only on a loopback bind (127.0.0.1, ::1, localhost), not on '${host}'; configure auth.apiKeys or auth.jwt, or set SWITCHBOARD_API_KEY_SHA256 for the embedded defaults (docs/security.md)`;
}
