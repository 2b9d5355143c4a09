import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { OAuthError, OAuthErrorCode } from '@modelcontextprotocol/server';
import { type CryptoKey, importSPKI, type JWTPayload, jwtVerify } from 'jose';
import type { JwtConfig } from '../config/index.ts';
import { ConfigError } from '../config/index.ts';

export interface VerifiedJwt {
  subject: string;
  /** Every string in the role claim (a string or a list), in order. */
  roles: string[];
  expiresAt: number;
}

/** Short, safe reasons for each way a token fails; never the token or its claims' values. */
const reasons: Record<string, string> = {
  ERR_JWT_EXPIRED: 'token has expired',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'token signature is not valid',
  ERR_JOSE_ALG_NOT_ALLOWED: 'token algorithm is not accepted',
  ERR_JWS_INVALID: 'token is not a valid signed JWT',
  ERR_JWT_INVALID: 'token is not a valid JWT',
  ERR_JOSE_NOT_SUPPORTED: 'token algorithm is not supported',
};

/**
 * Verifies JWTs with jose: signature (HS* secret or RS* public key), `iss`, `aud`, `exp` (required),
 * `nbf`, and only the configured algorithms, so `alg: none` and algorithm swaps are refused.
 */
export function createJwtVerifier(config: JwtConfig, baseDir: string, source: string): (token: string) => Promise<VerifiedJwt> {
  const hmac = config.secret !== undefined;
  const algorithms = config.algorithms ?? [hmac ? 'HS256' : 'RS256'];
  let pem = config.publicKey;
  if (config.publicKeyFile !== undefined) {
    try {
      pem = readFileSync(resolve(baseDir, config.publicKeyFile), 'utf8');
    } catch (error) {
      throw new ConfigError(
        source,
        'auth.jwt.publicKeyFile',
        `cannot read the key file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  const secret = hmac ? new TextEncoder().encode(config.secret) : undefined;
  const publicKeys = new Map<string, Promise<CryptoKey>>();
  const keyFor = (alg: string): Promise<CryptoKey> | Uint8Array => {
    if (secret !== undefined) return secret;
    let key = publicKeys.get(alg);
    if (key === undefined) {
      key = importSPKI(pem as string, alg);
      publicKeys.set(alg, key);
    }
    return key;
  };
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, async (header) => keyFor(header.alg ?? ''), {
        issuer: config.issuer,
        audience: config.audience,
        algorithms,
        clockTolerance: config.clockToleranceSec,
        requiredClaims: ['exp', config.subjectClaim],
      }));
    } catch (error) {
      throw new OAuthError(OAuthErrorCode.InvalidToken, reasonOf(error));
    }
    const subject = payload[config.subjectClaim];
    if (typeof subject !== 'string' || subject === '')
      throw new OAuthError(OAuthErrorCode.InvalidToken, `token has no '${config.subjectClaim}'`);
    const claim = payload[config.roleClaim];
    const roles = (Array.isArray(claim) ? claim : [claim]).filter((role): role is string => typeof role === 'string');
    return { subject, roles, expiresAt: payload.exp as number };
  };
}

function reasonOf(error: unknown): string {
  const { code, claim } = error as { code?: string; claim?: string };
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
    if (claim === 'aud') return 'token audience is not this hub';
    if (claim === 'iss') return 'token issuer is not trusted';
    if (claim === 'nbf') return 'token is not valid yet';
    return `token claim '${claim ?? '?'}' is missing or invalid`;
  }
  return (code !== undefined ? reasons[code] : undefined) ?? 'token could not be verified';
}
