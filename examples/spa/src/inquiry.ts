import type { AppConfig } from './config';

/** The one inquiry to open, as ensureInquiry returned it. */
export interface InquiryToOpen {
  inquiryId: string;
  sessionToken?: string | null;
}

export interface InquiryEvents {
  /** The user finished the flow; the decision comes through the gate (its subscription), not from here. */
  onComplete(inquiryId: string, status: string): void;
  /** The user closed the flow; the same inquiry can be opened again later. */
  onCancel(): void;
  onError(message: string): void;
}

export interface OpenInquiry {
  close(): void;
}

/**
 * The seam: opens the inquiry with Persona's web SDK, or, in development mode, with the emulator's
 * stand-in for it (Persona's widget loads from Persona's servers, which development mode does not
 * reach). Everything else in the app is the same in both.
 */
export async function openInquiry(config: AppConfig, inquiry: InquiryToOpen, events: InquiryEvents): Promise<OpenInquiry> {
  if (config.inquiry === 'emulator') {
    return openEmulatorStandIn(config.gateUrl, inquiry, events);
  }
  const { Client } = await import('persona');
  const client = new Client({
    inquiryId: inquiry.inquiryId,
    sessionToken: inquiry.sessionToken ?? undefined,
    onReady: () => client.open(),
    onComplete: ({ inquiryId, status }) => events.onComplete(inquiryId, status),
    onCancel: () => events.onCancel(),
    onError: (error) => events.onError(`${error.code}${error.message ? ': ' + error.message : ''}`),
  });
  return { close: () => client.destroy() };
}

interface StandInMessage {
  source: 'persona-gate-emulator';
  event: 'complete' | 'cancel' | 'error';
  inquiryId: string;
  status?: string;
  message?: string;
}

/** Development mode's page at /dev/persona/flow, in a frame over the app as Persona's widget would be. */
function openEmulatorStandIn(gateUrl: string, inquiry: InquiryToOpen, events: InquiryEvents): OpenInquiry {
  const url = new URL(`${gateUrl}/dev/persona/flow`);
  url.searchParams.set('inquiry-id', inquiry.inquiryId);
  if (inquiry.sessionToken) {
    url.searchParams.set('session-token', inquiry.sessionToken);
  }
  url.searchParams.set('parent-origin', window.location.origin);

  const overlay = document.createElement('div');
  overlay.className = 'inquiry-overlay';
  const frame = document.createElement('iframe');
  frame.title = 'Identity verification';
  frame.src = url.toString();
  overlay.append(frame);
  document.body.append(overlay);

  const close = () => {
    window.removeEventListener('message', listener);
    overlay.remove();
  };
  const listener = (event: MessageEvent<StandInMessage>) => {
    if (event.origin !== url.origin || event.source !== frame.contentWindow || event.data?.source !== 'persona-gate-emulator') {
      return;
    }
    const message = event.data;
    close();
    if (message.event === 'complete') {
      events.onComplete(message.inquiryId, message.status ?? 'completed');
    } else if (message.event === 'cancel') {
      events.onCancel();
    } else {
      events.onError(message.message ?? 'The inquiry could not be opened');
    }
  };
  window.addEventListener('message', listener);
  return { close };
}
