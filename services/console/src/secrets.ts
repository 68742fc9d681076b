import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: session cookies, API token secrets and CSRF tokens. */
export const newSecret = (prefix = ''): string => `${prefix}${randomBytes(32).toString('base64url')}`;

/**
 * What the database keeps of a secret. A fast hash is enough: the secrets are random, so nothing
 * can be guessed from it; passwords, which people choose, are hashed with argon2 (passwords.ts).
 */
export const secretHash = (secret: string): string => createHash('sha256').update(secret).digest('base64url');

/** A password to give a new account once; the owner changes it after the first login. */
export const oneTimePassword = (): string => randomBytes(15).toString('base64url');
