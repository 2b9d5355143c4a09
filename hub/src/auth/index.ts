export { generateApiKey, hashApiKey, matchApiKey } from './api-keys.ts';
export { Authenticator, type AuthenticatorOptions, principalOfAuthInfo } from './authenticator.ts';
export { createJwtVerifier, type VerifiedJwt } from './jwt.ts';
export { authInfoOfContext, authMiddleware, mountProtectedResourceMetadata, PUBLIC_PATHS, principalOfContext } from './middleware.ts';
