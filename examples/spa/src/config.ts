/** Where the app finds what differs between environments; read at start from config.json beside index.html. */
export interface AppConfig {
  /** persona-gate's base URL, e.g. https://gate.example.com: /graphql takes HTTP and WebSocket. */
  gateUrl: string;
  /** The Persona template the gate guards. */
  templateId: string;
  /** 'dev': development mode's sign-in; 'oidc': your identity provider (see session.ts). */
  signIn: 'dev' | 'oidc';
  /** 'persona': Persona's web SDK; 'emulator': development mode's stand-in for it (see inquiry.ts). */
  inquiry: 'persona' | 'emulator';
}

export async function loadConfig(): Promise<AppConfig> {
  const response = await fetch(new URL('config.json', document.baseURI), { cache: 'no-store' });
  if (!response.ok) {
    throw new Error(`config.json: HTTP ${response.status}`);
  }
  const config = (await response.json()) as AppConfig;
  return { ...config, gateUrl: config.gateUrl.replace(/\/+$/, '') };
}
