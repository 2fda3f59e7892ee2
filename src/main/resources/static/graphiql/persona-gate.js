(function () {
	'use strict';

	var gateQuery = [
		'# Headers (below): {"Authorization": "Bearer <JWT>"}',
		'query Gate($templateId: ID!) {',
		'  verificationGate(templateId: $templateId) {',
		'    decision',
		'    reason',
		'    inquiryId',
		'    inquiryStatus',
		'    checkedAt',
		'    stale',
		'  }',
		'}',
		''
	].join('\n');

	var ensureMutation = [
		'# Each tab has its own headers: the JWT goes here too.',
		'mutation Ensure($templateId: ID!) {',
		'  ensureInquiry(input: { templateId: $templateId, clientMutationId: "signup-screen" }) {',
		'    created',
		'    inquiryId',
		'    sessionToken',
		'    gate { decision reason }',
		'  }',
		'}',
		''
	].join('\n');

	var gateSubscription = [
		'# Live updates over WebSocket: the headers below travel in connection_init.',
		'subscription GateChanged($templateId: ID!) {',
		'  verificationGateChanged(templateId: $templateId) {',
		'    decision',
		'    reason',
		'    inquiryId',
		'    inquiryStatus',
		'    checkedAt',
		'  }',
		'}',
		''
	].join('\n');

	// the service puts its first gated template here, so that the first Run answers
	var variables = JSON.stringify({ templateId: document.getElementById('graphiql').dataset.templateId || 'itmpl_...' },
		null, 2);

	function authorization(token) {
		return JSON.stringify({ Authorization: 'Bearer ' + token }, null, 2);
	}

	// /graphql answers 401 without a body when the token is missing or invalid, which GraphiQL would show
	// as a JSON parse error; this shows why instead.
	function fetchExplainingUnauthorized(url, init) {
		return window.fetch(url, init).then(function (response) {
			if (response.status !== 401) {
				return response;
			}
			var reason = response.headers.get('WWW-Authenticate') || 'Bearer';
			var message = 'HTTP 401 (' + reason + '): put a valid JWT in the headers editor, '
				+ 'as {"Authorization": "Bearer <token>"}';
			return new Response(JSON.stringify({ errors: [ { message: message } ] }),
				{ status: 401, headers: { 'Content-Type': 'application/json' } });
		});
	}

	// A token handed over in the address (?token=...) goes into the headers editor only, and out of the
	// address bar and history at once. GraphiQL does not store headers (shouldPersistHeaders: false).
	var params = new URLSearchParams(window.location.search);
	var token = params.get('token');
	if (token !== null) {
		params.delete('token');
		var rest = params.toString();
		window.history.replaceState(null, '', window.location.pathname + (rest ? '?' + rest : '') + window.location.hash);
	}
	var headers = authorization(token !== null ? token : '<your JWT>');

	// Subscriptions go over GraphQL over WebSocket (graphql-transport-ws) on the same path; GraphiQL's
	// bundled graphql-ws client sends the tab's headers as the connection_init payload, where the service
	// reads the token.
	var subscriptionUrl = (window.location.protocol === 'https:' ? 'wss://' : 'ws://') + window.location.host
		+ '/graphql';

	var props = {
		fetcher: GraphiQL.createFetcher({ url: '/graphql', subscriptionUrl: subscriptionUrl,
			fetch: fetchExplainingUnauthorized }),
		defaultTabs: [
			{ query: gateQuery, variables: variables, headers: headers },
			{ query: ensureMutation, variables: variables, headers: headers },
			{ query: gateSubscription, variables: variables, headers: headers }
		],
		defaultHeaders: headers,
		defaultEditorToolsVisibility: 'headers',
		isHeadersEditorEnabled: true,
		shouldPersistHeaders: false
	};
	if (token !== null) {
		// GraphiQL restores the tabs of an earlier visit (without their headers) instead of the default
		// tabs; these props open the gate query with the token in a tab of its own then.
		props.query = gateQuery;
		props.variables = variables;
		props.headers = headers;
	}
	else if (window.localStorage.getItem('graphiql:tabState') === null) {
		// GraphiQL's editors show the first default tab's query but not its variables
		props.variables = variables;
	}

	ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, props));
})();
