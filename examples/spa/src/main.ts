import './style.css';
import { loadConfig, type AppConfig } from './config';
import { GateClient, GateError } from './gate';
import { EnsureInquiryDocument, GateChangedDocument, GateDocument, type GateFieldsFragment } from './gql/graphql';
import { openInquiry, type OpenInquiry } from './inquiry';
import { signIn, type Session } from './session';

const screen = document.querySelector<HTMLElement>('#screen')!;
const who = document.querySelector<HTMLElement>('#who')!;
const requestIdLine = document.querySelector<HTMLElement>('#request-id')!;

/** One signed-in user's visit: the gate, its live updates, the inquiry when one is open. */
class Visit {
  private readonly gate: GateClient;
  private unsubscribe = () => {};
  private inquiry: OpenInquiry | null = null;

  constructor(
    private readonly config: AppConfig,
    readonly session: Session,
  ) {
    this.gate = new GateClient(config, session, (id) => (requestIdLine.textContent = `Last request id: ${id}`));
  }

  async start(): Promise<void> {
    const variables = { templateId: this.config.templateId };
    try {
      this.show((await this.gate.execute(GateDocument, variables)).verificationGate);
    } catch (error) {
      this.fail(error, () => this.start());
      return;
    }
    this.unsubscribe = this.gate.subscribe(
      GateChangedDocument,
      variables,
      (data) => this.show(data.verificationGateChanged),
      (error) => this.fail(error, () => this.start()),
    );
  }

  stop(): void {
    this.unsubscribe();
    this.inquiry?.close();
    this.gate.close();
  }

  /** What the gate says decides what the user sees. */
  private show(gate: GateFieldsFragment): void {
    switch (gate.decision) {
      case 'ALLOW':
        this.inquiry?.close();
        this.inquiry = null;
        render('allow', `<h1>Welcome in</h1><p>Your identity is verified. This is the app.</p>`);
        break;
      case 'DENY':
        this.inquiry?.close();
        this.inquiry = null;
        // retryAt: a cooldown after a failed attempt; the gate turns START by itself then, and the
        // subscription brings it
        render(
          'deny',
          gate.retryAt
            ? `<h1>We could not verify your identity yet</h1>
               <p id="retry-at">You can try again on ${escape(formatMoment(gate.retryAt))}.</p>`
            : `<h1>We could not verify your identity</h1>
               <p>You cannot use the app with this account. Contact support if you think this is a mistake.</p>`,
        );
        break;
      case 'UNDER_REVIEW':
        render('under-review', `<h1>Your verification is being reviewed</h1><p>We will let you in as soon as it is approved.</p>`);
        break;
      case 'START':
      case 'RESUME':
        if (this.inquiry === null) {
          this.askToVerify(gate.decision);
        }
        break;
    }
  }

  private askToVerify(decision: 'START' | 'RESUME'): void {
    const label = decision === 'START' ? 'Verify my identity' : 'Continue my verification';
    render(
      decision.toLowerCase(),
      `<h1>Verify your identity to continue</h1>
       <p>It takes a few minutes: a photo of an ID document and a selfie.</p>
       <button type="button" id="verify">${label}</button>`,
    );
    screen.querySelector('#verify')!.addEventListener('click', () => this.verify());
  }

  private async verify(): Promise<void> {
    render('opening', `<p>Opening the verification…</p>`);
    try {
      const { ensureInquiry } = await this.gate.execute(EnsureInquiryDocument, { templateId: this.config.templateId });
      if (ensureInquiry.gate.decision !== 'RESUME' || !ensureInquiry.inquiryId) {
        this.show(ensureInquiry.gate);
        return;
      }
      this.inquiry = await openInquiry(
        this.config,
        { inquiryId: ensureInquiry.inquiryId, sessionToken: ensureInquiry.sessionToken },
        {
          onComplete: () => {
            this.inquiry = null;
            render('waiting', `<h1>Thank you</h1><p>Your verification is submitted; this page moves on by itself.</p>`);
          },
          onCancel: () => {
            this.inquiry = null;
            this.askToVerify('RESUME');
          },
          onError: (message) => {
            this.inquiry = null;
            this.fail(new GateError('INQUIRY_ERROR', message, null), () => this.verify());
          },
        },
      );
      render('inquiry', `<p>Verification open.</p>`);
    } catch (error) {
      this.fail(error, () => this.verify());
    }
  }

  /** An error the user can act on: sign in again, try again, or wait for the operators. */
  private fail(error: unknown, retry: () => void): void {
    const failure = error instanceof GateError ? error : new GateError('UNKNOWN', String(error), null);
    if (failure.code === 'UNAUTHENTICATED') {
      this.stop();
      showSignIn(this.config, failure.message);
      return;
    }
    const advice = failure.retryable
      ? 'Nothing was decided. Try again in a moment.'
      : 'Verification is unavailable right now. Please try again later.';
    render(
      'error',
      `<h1>Something went wrong</h1><p>${escape(advice)}</p>
       <p class="detail">${escape(failure.code)}${failure.requestId ? ` · request id ${escape(failure.requestId)}` : ''}</p>
       <button type="button" id="retry">Try again</button>`,
    );
    screen.querySelector('#retry')!.addEventListener('click', retry);
  }
}

let visit: Visit | null = null;

function showSignIn(config: AppConfig, message = ''): void {
  who.textContent = '';
  render(
    'sign-in',
    `<h1>Sign in</h1>
     <form id="sign-in">
       <label>User id <input name="userId" autocomplete="username" required value="alice"></label>
       <button type="submit">Sign in</button>
     </form>
     <p class="detail">${escape(message || (config.signIn === 'dev' ? 'Development mode: any user id signs in.' : ''))}</p>`,
  );
  screen.querySelector<HTMLFormElement>('#sign-in')!.addEventListener('submit', async (event) => {
    event.preventDefault();
    const userId = new FormData(event.target as HTMLFormElement).get('userId') as string;
    try {
      visit = new Visit(config, await signIn(config, userId));
    } catch (error) {
      showSignIn(config, String(error));
      return;
    }
    who.innerHTML = `${escape(userId)} <button type="button" id="sign-out">Sign out</button>`;
    who.querySelector('#sign-out')!.addEventListener('click', () => {
      visit?.stop();
      visit = null;
      showSignIn(config);
    });
    render('checking', `<p>Checking your verification…</p>`);
    await visit.start();
  });
}

/** A moment of the gate (retryAt, validUntil) in the user's own words and time zone. */
function formatMoment(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'long', timeStyle: 'short' });
}

function render(name: string, html: string): void {
  screen.dataset.screen = name;
  screen.innerHTML = html;
}

function escape(text: string): string {
  const element = document.createElement('span');
  element.textContent = text;
  return element.innerHTML;
}

loadConfig().then(showSignIn, (error) => render('error', `<h1>Cannot start</h1><p>${escape(String(error))}</p>`));
