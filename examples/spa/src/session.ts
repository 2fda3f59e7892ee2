import type { AppConfig } from './config';

/** The signed-in user, and their access token for persona-gate. */
export interface Session {
  readonly userId: string;
  /** A token valid for a while yet; a new one when `refresh` is set (the last one was refused). */
  token(options?: { refresh?: boolean }): Promise<string>;
}

/** Renews a token this long before it expires, so a reconnecting WebSocket never sends a dying one. */
const RENEW_BEFORE_MS = 60_000;

/**
 * Signs the user in. Development mode signs any user id in with a token of its own; in production
 * this is where your identity provider's SDK gives the access token (its silent renewal included).
 */
export async function signIn(config: AppConfig, userId: string): Promise<Session> {
  if (config.signIn !== 'dev') {
    throw new Error('Sign-in: plug your identity provider in here (session.ts)');
  }
  let current = await devToken(config.gateUrl, userId);
  return {
    userId: current.userId,
    async token(options) {
      if (options?.refresh || Date.parse(current.expiresAt) - Date.now() < RENEW_BEFORE_MS) {
        current = await devToken(config.gateUrl, userId);
      }
      return current.token;
    },
  };
}

interface DevToken {
  token: string;
  userId: string;
  expiresAt: string;
}

async function devToken(gateUrl: string, userId: string): Promise<DevToken> {
  const response = await fetch(`${gateUrl}/dev/token?userId=${encodeURIComponent(userId)}`);
  if (!response.ok) {
    throw new Error(`Development sign-in refused: HTTP ${response.status}`);
  }
  return (await response.json()) as DevToken;
}
