import { createClient, type Client, CloseCode } from 'graphql-ws';
import type { AppConfig } from './config';
import type { TypedDocumentString } from './gql/graphql';
import type { Session } from './session';

/**
 * A GraphQL error as the gate classifies it (`extensions.code`), or one of ours: UNAUTHENTICATED
 * (the token was refused), NETWORK (the gate could not be reached).
 */
export class GateError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly requestId: string | null,
  ) {
    super(message);
  }

  /** Worth trying again in a moment: nothing was decided. */
  get retryable(): boolean {
    return ['UPSTREAM_UNAVAILABLE', 'DATABASE_UNAVAILABLE', 'BUSY', 'NETWORK'].includes(this.code);
  }
}

interface GraphQlResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Queries and mutations over HTTP, the subscription over WebSocket; both typed from the schema. */
export class GateClient {
  private readonly ws: Client;

  constructor(
    private readonly config: AppConfig,
    private readonly session: Session,
    /** Told the X-Request-Id of each answer: quote it when reporting a problem. */
    private readonly onRequestId: (id: string) => void,
  ) {
    this.ws = createClient({
      url: config.gateUrl.replace(/^http/, 'ws') + '/graphql',
      // called at each (re)connection, so a reconnection never reuses an expired token
      connectionParams: async () => ({ Authorization: `Bearer ${await session.token()}` }),
      retryAttempts: Infinity,
      shouldRetry: () => true,
    });
  }

  async execute<R, V>(document: TypedDocumentString<R, V>, variables: V): Promise<R> {
    let response = await this.post(document, variables, await this.session.token());
    if (response.status === 401) {
      response = await this.post(document, variables, await this.session.token({ refresh: true }));
    }
    const requestId = response.headers.get('X-Request-Id');
    if (requestId) {
      this.onRequestId(requestId);
    }
    if (response.status === 401) {
      throw new GateError('UNAUTHENTICATED', 'Your sign-in was refused: sign in again.', requestId);
    }
    const body = (await response.json()) as GraphQlResponse<R>;
    const error = body.errors?.[0];
    if (error || !body.data) {
      throw new GateError(error?.extensions?.code ?? 'UNKNOWN', error?.message ?? 'No data', requestId);
    }
    return body.data;
  }

  /**
   * Follows a subscription until the returned function is called. The WebSocket reconnects by
   * itself; when the gate refuses the token (close code 4401) it starts again with a fresh one.
   */
  subscribe<R, V extends Record<string, unknown>>(
    document: TypedDocumentString<R, V>,
    variables: V,
    next: (data: R) => void,
    error: (error: GateError) => void,
  ): () => void {
    let stopped = false;
    let dispose = () => {};
    const start = () => {
      dispose = this.ws.subscribe<R>(
        { query: document.toString(), variables },
        {
          next: (result) => {
            const failure = result.errors?.[0];
            if (failure) {
              error(new GateError(String(failure.extensions?.code ?? 'UNKNOWN'), failure.message, null));
            } else if (result.data) {
              next(result.data);
            }
          },
          error: (failure) => {
            if (stopped) {
              return;
            }
            if (isClose(failure, CloseCode.Unauthorized)) {
              this.session.token({ refresh: true }).then(start, () => error(refused()));
            } else if (Array.isArray(failure) && failure[0]) {
              error(new GateError(String(failure[0].extensions?.code ?? 'UNKNOWN'), failure[0].message, null));
            } else {
              error(new GateError('NETWORK', 'Live updates stopped.', null));
            }
          },
          complete: () => {},
        },
      );
    };
    start();
    return () => {
      stopped = true;
      dispose();
    };
  }

  close(): void {
    void this.ws.dispose();
  }

  private async post<V>(document: TypedDocumentString<unknown, V>, variables: V, token: string): Promise<Response> {
    try {
      return await fetch(`${this.config.gateUrl}/graphql`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          Accept: 'application/graphql-response+json, application/json',
        },
        body: JSON.stringify({ query: document.toString(), variables }),
      });
    } catch {
      throw new GateError('NETWORK', 'The gate could not be reached.', null);
    }
  }
}

function isClose(failure: unknown, code: number): boolean {
  return typeof failure === 'object' && failure !== null && 'code' in failure && failure.code === code;
}

function refused(): GateError {
  return new GateError('UNAUTHENTICATED', 'Your sign-in was refused: sign in again.', null);
}
