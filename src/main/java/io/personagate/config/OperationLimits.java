package io.personagate.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import graphql.ErrorClassification;
import graphql.ExecutionResult;
import graphql.GraphqlErrorBuilder;
import graphql.execution.AbortExecutionException;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.language.Directive;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.Node;
import graphql.language.NodeTraverser;
import graphql.language.NodeVisitorStub;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.normalized.ExecutableNormalizedOperation;
import graphql.normalized.ExecutableNormalizedOperationFactory;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;
import io.personagate.gate.GateErrorType;

/**
 * Refuses, before any field runs, an operation that would resolve more than
 * {@code gate.graphql.max-complexity} fields or nest them deeper than
 * {@code gate.graphql.max-depth}. Fields are counted with every fragment expanded
 * wherever it is spread and every alias and repetition counted; the count is made without
 * expanding anything (each fragment counted once, linear in the text), because fragments
 * spread inside fragments can make a short text expand exponentially. Then graphql-java's
 * executable normalized operation, built with the same field limit, counts the fields as
 * they would run (one per possible type under an interface) and gives the depth.
 * <p>
 * A document with one operation and no directives is judged the same whatever its
 * variables, so its verdict is remembered for as long as the document itself is (the
 * parsed documents are cached, and the same query text arrives as the same document).
 */
final class OperationLimits extends SimplePerformantInstrumentation {

	private final int maxFields;

	private final int maxDepth;

	private final Cache<Document, Boolean> allowed = Caffeine.newBuilder().weakKeys().build();

	OperationLimits(int maxFields, int maxDepth) {
		this.maxFields = maxFields;
		this.maxDepth = maxDepth;
	}

	@Override
	public InstrumentationContext<ExecutionResult> beginExecuteOperation(
			InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
		ExecutionContext context = parameters.getExecutionContext();
		Document document = context.getDocument();
		if (this.allowed.getIfPresent(document) != null) {
			return SimpleInstrumentationContext.noOp();
		}
		check(context);
		if (independentOfVariables(document)) {
			this.allowed.put(document, Boolean.TRUE);
		}
		return SimpleInstrumentationContext.noOp();
	}

	private void check(ExecutionContext context) {
		if (expanded(context.getOperationDefinition().getSelectionSet(), context.getFragmentsByName(), new HashMap<>(),
				this.maxFields) > this.maxFields) {
			throw tooComplex();
		}
		ExecutableNormalizedOperation operation;
		try {
			operation = ExecutableNormalizedOperationFactory.createExecutableNormalizedOperation(
					context.getGraphQLSchema(), context.getOperationDefinition(), context.getFragmentsByName(),
					context.getCoercedVariables(),
					ExecutableNormalizedOperationFactory.Options.defaultOptions()
						.graphQLContext(context.getGraphQLContext())
						.locale(context.getLocale())
						.maxFieldsCount(this.maxFields));
		}
		catch (AbortExecutionException ex) {
			throw tooComplex();
		}
		if (operation.getOperationDepth() > this.maxDepth) {
			throw refused(GateErrorType.QUERY_TOO_DEEP,
					"Operation too deep: its fields nest " + operation.getOperationDepth()
							+ " levels and this service allows at most " + this.maxDepth + ". Nest fewer fields.");
		}
	}

	/**
	 * The selections of {@code selections} with every fragment spread expanded, counted
	 * without expanding anything: each fragment's count is computed once. Validation has
	 * already refused cycles and unknown fragments. Stops counting past {@code ceiling}.
	 */
	private static long expanded(SelectionSet selections, Map<String, FragmentDefinition> fragments,
			Map<String, Long> counted, long ceiling) {
		if (selections == null) {
			return 0;
		}
		long count = 0;
		for (Selection<?> selection : selections.getSelections()) {
			if (selection instanceof Field field) {
				count += 1 + expanded(field.getSelectionSet(), fragments, counted, ceiling);
			}
			else if (selection instanceof InlineFragment inline) {
				count += expanded(inline.getSelectionSet(), fragments, counted, ceiling);
			}
			else if (selection instanceof FragmentSpread spread) {
				Long known = counted.get(spread.getName());
				if (known == null) {
					FragmentDefinition fragment = fragments.get(spread.getName());
					known = (fragment != null) ? expanded(fragment.getSelectionSet(), fragments, counted, ceiling) : 0;
					counted.put(spread.getName(), known);
				}
				count += known;
			}
			if (count > ceiling) {
				return ceiling + 1;
			}
		}
		return count;
	}

	/**
	 * Whether the document's verdict cannot depend on its variables: one operation, and
	 * no directive ({@code @skip}/{@code @include}) that could drop fields for some
	 * values.
	 */
	private static boolean independentOfVariables(Document document) {
		if (document.getDefinitionsOfType(OperationDefinition.class).size() != 1) {
			return false;
		}
		return new NodeTraverser().depthFirst(new NodeVisitorStub() {
			@Override
			public TraversalControl visitDirective(Directive node, TraverserContext<Node> context) {
				context.setAccumulate(Boolean.FALSE);
				return TraversalControl.QUIT;
			}
		}, document) != Boolean.FALSE;
	}

	private AbortExecutionException tooComplex() {
		return refused(GateErrorType.QUERY_TOO_COMPLEX,
				"Operation too complex: it would resolve more than " + this.maxFields
						+ " fields (fragments counted wherever they are spread, each alias counted) and this "
						+ "service allows at most " + this.maxFields
						+ ". Select fewer fields or aliases, or split it into several operations.");
	}

	private static AbortExecutionException refused(ErrorClassification type, String message) {
		return new AbortExecutionException(
				List.of(GraphqlErrorBuilder.newError().errorType(type).message(message).build()));
	}

}
