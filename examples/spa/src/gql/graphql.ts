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
  /** Any string; returned unchanged in the payload. */
  clientMutationId?: InputMaybe<Scalars['String']['input']>;
  /** The Persona template id (itmpl_... or legacy tmpl_...); it must be one this service gates. */
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

/** Why the gate decided as it did. */
export type GateReason =
  /** An inquiry was approved. */
  | 'APPROVED'
  /** The user already has as many inquiries on this template as it allows. */
  | 'ATTEMPTS_EXHAUSTED'
  /** An inquiry finished but is neither a pass nor a denial under this template's policy; a decision is awaited. */
  | 'AWAITING_DECISION'
  /** An inquiry was completed, and completion counts as a pass for this template. */
  | 'COMPLETED'
  /** An inquiry was declined. */
  | 'DECLINED'
  /** The newest inquiry expired recently enough to be resumed. */
  | 'EXPIRED_RESUMABLE'
  /** The newest inquiry expired too long ago to resume; a new one may be started. */
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
  /** An inquiry has a status this service does not know; the gate blocks until it is understood. */
  | 'UNKNOWN_STATUS';

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
};


export type MutationEnsureInquiryArgs = {
  input: EnsureInquiryInput;
};

export type Query = {
  __typename?: 'Query';
  /**
   * The verification gate for the signed-in user on a gated template. Answers from the cache while it is
   * fresh and asks Persona otherwise. Never creates or changes anything at Persona.
   */
  verificationGate: VerificationGate;
};


export type QueryVerificationGateArgs = {
  templateId: Scalars['ID']['input'];
};

export type Subscription = {
  __typename?: 'Subscription';
  /**
   * The signed-in user's gate on a template: the current gate first, then the gate again each time it
   * changes (a webhook from Persona, an inquiry created or resumed), on whichever instance of the service
   * the change arrived. Over WebSocket (graphql-transport-ws) at /graphql, with the bearer token in the
   * connection_init payload as {"Authorization": "Bearer <jwt>"}.
   */
  verificationGateChanged: VerificationGate;
};


export type SubscriptionVerificationGateChangedArgs = {
  templateId: Scalars['ID']['input'];
};

/** The verification gate for one user and template. */
export type VerificationGate = {
  __typename?: 'VerificationGate';
  /** When the underlying statuses were last confirmed with Persona. */
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
   * True when the answer was due to be checked with Persona again but Persona could not be reached, so the
   * cached ALLOW or DENY was served as it stood. Never true for any other decision: those fail instead.
   */
  stale: Scalars['Boolean']['output'];
  /** The template asked about. */
  templateId: Scalars['ID']['output'];
};

export type EnsureInquiryMutationVariables = Exact<{
  templateId: Scalars['ID']['input'];
}>;


export type EnsureInquiryMutation = { __typename?: 'Mutation', ensureInquiry: { __typename?: 'EnsureInquiryPayload', created: boolean, inquiryId?: string | null, sessionToken?: string | null, gate: { __typename?: 'VerificationGate', templateId: string, decision: GateDecision, reason: GateReason, inquiryId?: string | null, inquiryStatus?: InquiryStatus | null, checkedAt: string, stale: boolean } } };

export type GateQueryVariables = Exact<{
  templateId: Scalars['ID']['input'];
}>;


export type GateQuery = { __typename?: 'Query', verificationGate: { __typename?: 'VerificationGate', templateId: string, decision: GateDecision, reason: GateReason, inquiryId?: string | null, inquiryStatus?: InquiryStatus | null, checkedAt: string, stale: boolean } };

export type GateFieldsFragment = { __typename?: 'VerificationGate', templateId: string, decision: GateDecision, reason: GateReason, inquiryId?: string | null, inquiryStatus?: InquiryStatus | null, checkedAt: string, stale: boolean };

export type GateChangedSubscriptionVariables = Exact<{
  templateId: Scalars['ID']['input'];
}>;


export type GateChangedSubscription = { __typename?: 'Subscription', verificationGateChanged: { __typename?: 'VerificationGate', templateId: string, decision: GateDecision, reason: GateReason, inquiryId?: string | null, inquiryStatus?: InquiryStatus | null, checkedAt: string, stale: boolean } };

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
}`) as unknown as TypedDocumentString<GateChangedSubscription, GateChangedSubscriptionVariables>;