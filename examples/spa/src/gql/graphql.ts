/* eslint-disable */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO-8601 date and time with offset, for example 2026-01-31T12:00:00Z. */
  DateTime: { input: string; output: string; }
};

/** Input of ensureInquiry. */
export type EnsureInquiryInput = {
  /** Any string of at most 128 characters without control characters or line breaks; returned unchanged. */
  clientMutationId?: InputMaybe<Scalars['String']['input']>;
  /**
   * The Persona template id: itmpl_ (or legacy tmpl_) followed by 1 to 64 letters or digits; it must be one
   * this service gates.
   */
  templateId: Scalars['ID']['input'];
};

/** What ensureInquiry did and what the app should do next. */
export type EnsureInquiryPayload = {
  __typename?: 'EnsureInquiryPayload';
  /** The clientMutationId of the input. */
  clientMutationId?: Maybe<Scalars['String']['output']>;
  /** True when this call created the inquiry. */
  created: Scalars['Boolean']['output'];
  /** The decision after this call: RESUME with the inquiry to open, or ALLOW, DENY or UNDER_REVIEW. */
  gate: VerificationGate;
  /** The inquiry to open in the Persona SDK, when gate.decision is RESUME. */
  inquiryId?: Maybe<Scalars['ID']['output']>;
  /** The session token to open the inquiry with, when it needs one (pending, or resumed after expiring). */
  sessionToken?: Maybe<Scalars['String']['output']>;
};

/** What the app should do with the user. */
export type GateDecision =
  /** Let the user in: verification passed. */
  | 'ALLOW'
  /** Keep the user out: verification failed, or no attempts are left. */
  | 'DENY'
  /** Open the existing inquiry (inquiryId) in the Persona SDK. */
  | 'RESUME'
  /** The user has no usable inquiry: call ensureInquiry to get one. */
  | 'START'
  /** Keep the user waiting: a decision is pending (manual review); do not start another inquiry. */
  | 'UNDER_REVIEW';

/** One thing that happened to a user's gate, from the audit trail. */
export type GateHistoryEntry = {
  __typename?: 'GateHistoryEntry';
  /**
   * What happened: DECISION_CHANGED (the decision served changed), INQUIRY_CREATED, INQUIRY_RESUMED,
   * ATTEMPT_GRANTED (an operator's grant), REFRESHED (an operator had Persona asked again).
   */
  action: Scalars['String']['output'];
  /** Who asked for it (their token's subject), when a person or service did. */
  actor?: Maybe<Scalars['String']['output']>;
  /** When it happened. */
  at: Scalars['DateTime']['output'];
  /** The correlation id of the request that caused it, as its log lines show it. */
  correlationId?: Maybe<Scalars['String']['output']>;
  /** The decision then: the new one for DECISION_CHANGED, the one overridden for ATTEMPT_GRANTED. */
  decision?: Maybe<GateDecision>;
  /** For ATTEMPT_GRANTED: when the grant lapses if it is not used by then; null when it lasts until used. */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** The inquiry it is about, if any. */
  inquiryId?: Maybe<Scalars['ID']['output']>;
  /** That inquiry's status then. */
  inquiryStatus?: Maybe<InquiryStatus>;
  /** Why, in their words (a grant's reason, a refresh's note), or what else is worth knowing. */
  note?: Maybe<Scalars['String']['output']>;
  /** Its reason. */
  reason?: Maybe<GateReason>;
  /**
   * Which rule of the decision table gave the reason, named by the setting it rests on: pass-statuses,
   * deny-statuses, under review, unknown status, in progress, expired-resume-window, no inquiry,
   * max-inquiries, granted attempt, retry-after-failed or retry-after-declined, approval-valid-for,
   * satisfied-by. Null when no reason was recorded.
   */
  rule?: Maybe<Scalars['String']['output']>;
};

/** Why the gate decided as it did. */
export type GateReason =
  /**
   * The user's approval is older than the template accepts (its approval-valid-for): they must verify again.
   * Call ensureInquiry to start a new inquiry; earlier inquiries no longer count against the attempts.
   */
  | 'APPROVAL_EXPIRED'
  /** An inquiry was approved. */
  | 'APPROVED'
  /** The user already has as many inquiries on this template as it allows. */
  | 'ATTEMPTS_EXHAUSTED'
  /**
   * The policy says DENY, but an operator granted one more attempt (grantInquiryAttempt): call ensureInquiry
   * to start it. Once it is created, the policy judges the new inquiry.
   */
  | 'ATTEMPT_GRANTED'
  /** An inquiry finished but is neither a pass nor a denial under this template's policy; a decision is awaited. */
  | 'AWAITING_DECISION'
  /** An inquiry was completed, and completion counts as a pass for this template. */
  | 'COMPLETED'
  /** An inquiry was declined. */
  | 'DECLINED'
  /** The newest inquiry expired recently enough to be resumed. */
  | 'EXPIRED_RESUMABLE'
  /** The newest inquiry expired too long ago to resume, or was redacted before it was decided; a new one may be started. */
  | 'EXPIRED_TOO_OLD'
  /** An inquiry failed. */
  | 'FAILED'
  /** An inquiry was created or started and can be continued. */
  | 'IN_PROGRESS'
  /** An inquiry is marked for manual review. */
  | 'NEEDS_REVIEW'
  /** The user has no inquiry on this template. */
  | 'NO_INQUIRY'
  /** An inquiry is in another status configured to pass. */
  | 'PASSED'
  /** An inquiry is in another status configured to deny. */
  | 'REJECTED'
  /**
   * The newest failed (or, where the template allows it, declined) inquiry's cooldown is over: call
   * ensureInquiry to start a new one. Until then the gate was DENY with a retryAt.
   */
  | 'RETRY_ALLOWED'
  /**
   * The user passed another template that satisfies this one (its satisfied-by setting): let them in without
   * an inquiry here. inquiryId and inquiryStatus are that template's inquiry's.
   */
  | 'SATISFIED_BY_TEMPLATE'
  /** An inquiry has a status this service does not know; the gate blocks until it is understood. */
  | 'UNKNOWN_STATUS';

/** Input of grantInquiryAttempt. */
export type GrantInquiryAttemptInput = {
  /** Any string of at most 128 characters without control characters or line breaks; returned unchanged. */
  clientMutationId?: InputMaybe<Scalars['String']['input']>;
  /**
   * When the grant lapses if the user has not started the inquiry by then (in the future); left out, it lasts
   * until used. Shown in gateHistory.
   */
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  /**
   * Why the user gets another attempt, for the audit trail (required): at most 1000 characters, without control
   * characters but line breaks.
   */
  reason: Scalars['String']['input'];
  /** The user's Reference ID: at most 255 characters, without control characters or line breaks. */
  referenceId: Scalars['ID']['input'];
  /** The Persona template id; it must be one this service gates. */
  templateId: Scalars['ID']['input'];
};

/** What grantInquiryAttempt did. */
export type GrantInquiryAttemptPayload = {
  __typename?: 'GrantInquiryAttemptPayload';
  /** The clientMutationId of the input. */
  clientMutationId?: Maybe<Scalars['String']['output']>;
  /** The user's gate after the grant: START with reason ATTEMPT_GRANTED. */
  gate: VerificationGate;
};

/** An inquiry's status at Persona. */
export type InquiryStatus =
  /** Approved. */
  | 'APPROVED'
  /** The user finished the flow; a decision may follow. */
  | 'COMPLETED'
  /** Created, not yet started by the user. */
  | 'CREATED'
  /** Declined. */
  | 'DECLINED'
  /** It expired before it was finished. */
  | 'EXPIRED'
  /** The checks failed. */
  | 'FAILED'
  /** Marked for manual review. */
  | 'NEEDS_REVIEW'
  /** Started by the user, not finished. */
  | 'PENDING'
  /** A status this service does not know (Persona's list of statuses can grow). */
  | 'UNKNOWN';

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Makes sure the signed-in user has the one inquiry they should open on a template: returns the
   * existing resumable inquiry, or creates it when the user may start one. After this call the decision
   * is never START. Safe to call any number of times, concurrently, from any device.
   */
  ensureInquiry: EnsureInquiryPayload;
  /**
   * Lets a user whose gate is DENY (declined, failed, or attempts exhausted) start one more inquiry although the
   * policy says DENY: the gate is START (ATTEMPT_GRANTED) until the user's next inquiry is created, then the
   * policy judges that inquiry as usual. One grant allows exactly one new inquiry. Recorded with who granted
   * it and why. On a gate that is not DENY, a BAD_REQUEST error and nothing is granted. Scope gate:admin. Null,
   * with an error, when this field failed.
   */
  grantInquiryAttempt?: Maybe<GrantInquiryAttemptPayload>;
  /**
   * Re-reads the user's inquiries at Persona now, whatever the cache holds, stores them, tells live
   * subscribers of any change, and records who asked. Fails with UPSTREAM_UNAVAILABLE when Persona cannot be
   * reached: nothing is served from the cache instead. Scope gate:admin. Null, with an error, when this field
   * failed (RATE_LIMITED past the operator's allowance, BAD_REQUEST, UPSTREAM_UNAVAILABLE...).
   */
  refreshVerificationGate?: Maybe<RefreshVerificationGatePayload>;
};


export type MutationEnsureInquiryArgs = {
  input: EnsureInquiryInput;
};


export type MutationGrantInquiryAttemptArgs = {
  input: GrantInquiryAttemptInput;
};


export type MutationRefreshVerificationGateArgs = {
  input: RefreshVerificationGateInput;
};

export type Query = {
  __typename?: 'Query';
  /**
   * What happened to a user's gate, newest first: decisions, inquiries created and resumed, attempts granted,
   * refreshes, each with who asked and why when a person or service did. Scope gate:read. Null, with an error,
   * when this field failed.
   */
  gateHistory?: Maybe<Array<GateHistoryEntry>>;
  /**
   * The verification gate for the signed-in user on a gated template. Answers from the cache while it is
   * fresh and asks Persona otherwise. Never creates or changes anything at Persona.
   */
  verificationGate: VerificationGate;
  /**
   * Any user's gate, exactly as that user's own verificationGate would answer it now: from the cache while it
   * is fresh, from a Persona listing otherwise, served stale or failing when Persona is down. Never creates or
   * changes anything at Persona. Scope gate:read. Null, with an error, when this field failed (its error says
   * why: RATE_LIMITED past the operator's allowance, BAD_REQUEST, UPSTREAM_UNAVAILABLE...).
   */
  verificationGateOf?: Maybe<VerificationGate>;
};


export type QueryGateHistoryArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  referenceId: Scalars['ID']['input'];
  templateId: Scalars['ID']['input'];
};


export type QueryVerificationGateArgs = {
  templateId: Scalars['ID']['input'];
};


export type QueryVerificationGateOfArgs = {
  referenceId: Scalars['ID']['input'];
  templateId: Scalars['ID']['input'];
};

/** Input of refreshVerificationGate. */
export type RefreshVerificationGateInput = {
  /** Any string of at most 128 characters without control characters or line breaks; returned unchanged. */
  clientMutationId?: InputMaybe<Scalars['String']['input']>;
  /** Why, for the audit trail (optional): at most 1000 characters, without control characters but line breaks. */
  note?: InputMaybe<Scalars['String']['input']>;
  /** The user's Reference ID: at most 255 characters, without control characters or line breaks. */
  referenceId: Scalars['ID']['input'];
  /** The Persona template id; it must be one this service gates. */
  templateId: Scalars['ID']['input'];
};

/** What refreshVerificationGate did. */
export type RefreshVerificationGatePayload = {
  __typename?: 'RefreshVerificationGatePayload';
  /** The clientMutationId of the input. */
  clientMutationId?: Maybe<Scalars['String']['output']>;
  /** The user's gate after Persona was asked. */
  gate: VerificationGate;
};

export type Subscription = {
  __typename?: 'Subscription';
  /**
   * The signed-in user's gate on a template: the current gate first, then the gate again each time it
   * changes (a webhook from Persona, an inquiry created or resumed), on whichever instance of the service
   * the change arrived. Over WebSocket (graphql-transport-ws) at /graphql, with the bearer token in the
   * connection_init payload as {"Authorization": "Bearer <jwt>"}, or over server-sent events (POST /graphql
   * with Accept: text/event-stream); never as a plain JSON response. Ends when the token expires; at most
   * gate.subscriptions.max-per-connection per connection and max-per-user per user (TOO_MANY_SUBSCRIPTIONS).
   */
  verificationGateChanged: VerificationGate;
};


export type SubscriptionVerificationGateChangedArgs = {
  templateId: Scalars['ID']['input'];
};

/** The verification gate for one user and template. */
export type VerificationGate = {
  __typename?: 'VerificationGate';
  /**
   * How many more inquiries the user may start on this template (counting the one START would create). 0 when
   * the decision is DENY and no retry will open.
   */
  attemptsLeft: Scalars['Int']['output'];
  /**
   * When the underlying statuses were last confirmed with Persona: the last listing of the user's inquiries,
   * or a later webhook, create or resume that told of one of them.
   */
  checkedAt: Scalars['DateTime']['output'];
  /** What the app should do. */
  decision: GateDecision;
  /** The inquiry the decision rests on, if any. */
  inquiryId?: Maybe<Scalars['ID']['output']>;
  /** That inquiry's Persona status, if any. */
  inquiryStatus?: Maybe<InquiryStatus>;
  /** Why. */
  reason: GateReason;
  /**
   * When a DENY (a failed or declined inquiry's cooldown) becomes START by time alone, so the app can say "you
   * can try again on ...". Null when it never does (the denial is final, or no attempts would be left), and
   * for every decision other than DENY.
   */
  retryAt?: Maybe<Scalars['DateTime']['output']>;
  /**
   * True when the answer was due to be checked with Persona again but Persona could not be reached, so the
   * cached ALLOW or DENY was served as it stood. Never true for any other decision: those fail instead.
   */
  stale: Scalars['Boolean']['output'];
  /** The template asked about. */
  templateId: Scalars['ID']['output'];
  /**
   * When an ALLOW ends by time alone because the approval it rests on ages (the template's
   * approval-valid-for); the gate then becomes START with reason APPROVAL_EXPIRED, or RESUME when a new
   * inquiry is already under way. Null when it never does, and for every decision other than ALLOW.
   */
  validUntil?: Maybe<Scalars['DateTime']['output']>;
};

export type EnsureInquiryMutationVariables = Exact<{
  templateId: Scalars['ID']['input'];
}>;


export type EnsureInquiryMutation = { __typename?: 'Mutation', ensureInquiry: { __typename?: 'EnsureInquiryPayload', created: boolean, inquiryId?: string | null, sessionToken?: string | null, gate: { __typename?: 'VerificationGate', templateId: string, decision: GateDecision, reason: GateReason, inquiryId?: string | null, inquiryStatus?: InquiryStatus | null, checkedAt: string, stale: boolean, retryAt?: string | null, validUntil?: string | null, attemptsLeft: number } } };

export type GateQueryVariables = Exact<{
  templateId: Scalars['ID']['input'];
}>;


export type GateQuery = { __typename?: 'Query', verificationGate: { __typename?: 'VerificationGate', templateId: string, decision: GateDecision, reason: GateReason, inquiryId?: string | null, inquiryStatus?: InquiryStatus | null, checkedAt: string, stale: boolean, retryAt?: string | null, validUntil?: string | null, attemptsLeft: number } };

export type GateFieldsFragment = { __typename?: 'VerificationGate', templateId: string, decision: GateDecision, reason: GateReason, inquiryId?: string | null, inquiryStatus?: InquiryStatus | null, checkedAt: string, stale: boolean, retryAt?: string | null, validUntil?: string | null, attemptsLeft: number };

export type GateChangedSubscriptionVariables = Exact<{
  templateId: Scalars['ID']['input'];
}>;


export type GateChangedSubscription = { __typename?: 'Subscription', verificationGateChanged: { __typename?: 'VerificationGate', templateId: string, decision: GateDecision, reason: GateReason, inquiryId?: string | null, inquiryStatus?: InquiryStatus | null, checkedAt: string, stale: boolean, retryAt?: string | null, validUntil?: string | null, attemptsLeft: number } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const GateFieldsFragmentDoc = new TypedDocumentString(`
    fragment GateFields on VerificationGate {
  templateId
  decision
  reason
  inquiryId
  inquiryStatus
  checkedAt
  stale
  retryAt
  validUntil
  attemptsLeft
}
    `, {"fragmentName":"GateFields"}) as unknown as TypedDocumentString<GateFieldsFragment, unknown>;
export const EnsureInquiryDocument = new TypedDocumentString(`
    mutation EnsureInquiry($templateId: ID!) {
  ensureInquiry(input: {templateId: $templateId, clientMutationId: "example-spa"}) {
    created
    inquiryId
    sessionToken
    gate {
      ...GateFields
    }
  }
}
    fragment GateFields on VerificationGate {
  templateId
  decision
  reason
  inquiryId
  inquiryStatus
  checkedAt
  stale
  retryAt
  validUntil
  attemptsLeft
}`) as unknown as TypedDocumentString<EnsureInquiryMutation, EnsureInquiryMutationVariables>;
export const GateDocument = new TypedDocumentString(`
    query Gate($templateId: ID!) {
  verificationGate(templateId: $templateId) {
    ...GateFields
  }
}
    fragment GateFields on VerificationGate {
  templateId
  decision
  reason
  inquiryId
  inquiryStatus
  checkedAt
  stale
  retryAt
  validUntil
  attemptsLeft
}`) as unknown as TypedDocumentString<GateQuery, GateQueryVariables>;
export const GateChangedDocument = new TypedDocumentString(`
    subscription GateChanged($templateId: ID!) {
  verificationGateChanged(templateId: $templateId) {
    ...GateFields
  }
}
    fragment GateFields on VerificationGate {
  templateId
  decision
  reason
  inquiryId
  inquiryStatus
  checkedAt
  stale
  retryAt
  validUntil
  attemptsLeft
}`) as unknown as TypedDocumentString<GateChangedSubscription, GateChangedSubscriptionVariables>;