/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation EnsureInquiry($templateId: ID!) {\n  ensureInquiry(input: {templateId: $templateId, clientMutationId: \"example-spa\"}) {\n    created\n    inquiryId\n    sessionToken\n    gate {\n      ...GateFields\n    }\n  }\n}": typeof types.EnsureInquiryDocument,
    "query Gate($templateId: ID!) {\n  verificationGate(templateId: $templateId) {\n    ...GateFields\n  }\n}\n\nfragment GateFields on VerificationGate {\n  templateId\n  decision\n  reason\n  inquiryId\n  inquiryStatus\n  checkedAt\n  stale\n  retryAt\n  validUntil\n  attemptsLeft\n}": typeof types.GateDocument,
    "subscription GateChanged($templateId: ID!) {\n  verificationGateChanged(templateId: $templateId) {\n    ...GateFields\n  }\n}": typeof types.GateChangedDocument,
};
const documents: Documents = {
    "mutation EnsureInquiry($templateId: ID!) {\n  ensureInquiry(input: {templateId: $templateId, clientMutationId: \"example-spa\"}) {\n    created\n    inquiryId\n    sessionToken\n    gate {\n      ...GateFields\n    }\n  }\n}": types.EnsureInquiryDocument,
    "query Gate($templateId: ID!) {\n  verificationGate(templateId: $templateId) {\n    ...GateFields\n  }\n}\n\nfragment GateFields on VerificationGate {\n  templateId\n  decision\n  reason\n  inquiryId\n  inquiryStatus\n  checkedAt\n  stale\n  retryAt\n  validUntil\n  attemptsLeft\n}": types.GateDocument,
    "subscription GateChanged($templateId: ID!) {\n  verificationGateChanged(templateId: $templateId) {\n    ...GateFields\n  }\n}": types.GateChangedDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation EnsureInquiry($templateId: ID!) {\n  ensureInquiry(input: {templateId: $templateId, clientMutationId: \"example-spa\"}) {\n    created\n    inquiryId\n    sessionToken\n    gate {\n      ...GateFields\n    }\n  }\n}"): typeof import('./graphql').EnsureInquiryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Gate($templateId: ID!) {\n  verificationGate(templateId: $templateId) {\n    ...GateFields\n  }\n}\n\nfragment GateFields on VerificationGate {\n  templateId\n  decision\n  reason\n  inquiryId\n  inquiryStatus\n  checkedAt\n  stale\n  retryAt\n  validUntil\n  attemptsLeft\n}"): typeof import('./graphql').GateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription GateChanged($templateId: ID!) {\n  verificationGateChanged(templateId: $templateId) {\n    ...GateFields\n  }\n}"): typeof import('./graphql').GateChangedDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
