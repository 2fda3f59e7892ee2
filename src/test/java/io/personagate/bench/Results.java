package io.personagate.bench;

import java.time.Duration;
import java.util.List;

/**
 * Every figure of one benchmark run, as the report shows them.
 *
 * @param machine what it ran on
 * @param settings how it ran
 * @param warmUp how the service was warmed before the measurements
 * @param ceiling {@code { __typename }} through the same server, JWT check and GraphQL
 * stack
 * @param cached {@code verificationGate} answered from the cache
 * @param ceilingAtFew the ceiling at {@link Settings#fewConnections()}
 * @param cachedAtFew the cached gate at {@link Settings#fewConnections()}
 * @param cold {@code verificationGate} for users never seen (one listing each)
 * @param ensure {@code ensureInquiry} for new users (listing and create)
 * @param recipe {@code verificationGate} with the cache switched off (a listing per call)
 * @param cachedSweep cached gate by number of cached users
 * @param coldSweep cold gate by number of inquiries the user has at Persona
 * @param service the service with its cache, through every scenario but the recipe
 * @param uncachedService the service restarted with {@code gate.cache.enabled=false}
 * @param loadBefore the machine's 1-minute load average before the run
 * @param loadAfter and after it
 * @param took the whole run, build excluded
 */
record Results(Machine machine, Settings settings, WarmUp warmUp, Measurement ceiling, Measurement cached,
		Measurement ceilingAtFew, Measurement cachedAtFew, Measurement cachedFirstRead, Measurement cold,
		Measurement ensure, Measurement recipe, List<Measurement> cachedSweep, List<Measurement> coldSweep,
		ServiceFigures service, ServiceFigures uncachedService, String loadBefore, String loadAfter, Duration took) {

	/**
	 * @param cores available processors
	 * @param memory physical memory, bytes
	 * @param cpu the processor's model name
	 * @param os the operating system
	 * @param jdk the JDK that ran the service
	 * @param postgres PostgreSQL's version
	 * @param postgresSetup where PostgreSQL ran and its notable settings
	 * @param wrk wrk's version
	 */
	record Machine(int cores, long memory, String cpu, String os, String jdk, String postgres, String postgresSetup,
			String wrk) {
	}

	/**
	 * @param mode "full" or "short"
	 * @param users cached users for the main scenarios
	 * @param personaLatencyMillis the emulator's delay before each answer
	 * @param warmUp warm-up per kind of request, not measured
	 * @param duration each main scenario
	 * @param sweepDuration each sweep point
	 * @param threads wrk threads
	 * @param cachedConnections connections for the ceiling and the cached gate
	 * @param fewConnections fewer connections, for the ceiling and the cached gate's
	 * latency when the machine is not saturated
	 * @param personaConnections connections for the scenarios that wait on Persona
	 * @param jvmOptions the service's JVM options
	 * @param serviceSettings settings given to the service beyond the database and
	 * Persona's address
	 */
	record Settings(String mode, long users, long personaLatencyMillis, Duration warmUp, Duration duration,
			Duration sweepDuration, int threads, int cachedConnections, int fewConnections, int personaConnections,
			List<String> jvmOptions, List<String> serviceSettings) {
	}

	/**
	 * One measured load.
	 *
	 * @param name what was measured
	 * @param parameter the sweep's variable (cached users, inquiries per user), or 0
	 * @param connections wrk connections
	 * @param distinctUsers different users (tokens) the load cycled through
	 * @param newUsersOnly whether every request had to be for a user the service had
	 * never seen
	 * @param load what wrk measured
	 * @param personaCalls calls the emulator received during the load
	 * @param personaMillisPerCall the mean time of a Persona call as the service measured
	 * it
	 * @param cacheHits answers the service says it served from its cache
	 * @param memoryHits of those, the answers it served from its memory, with no database
	 * round trip
	 * @param expectedCallsPerRequest the calls per request the design promises
	 * @param serviceCpuSeconds CPU time the service used during the load
	 * @param postgresCpuSeconds CPU time PostgreSQL used (embedded only; -1 otherwise)
	 * @param machineBusyCores cores the whole machine kept busy on average (all
	 * processes, others' too)
	 */
	record Measurement(String name, long parameter, int connections, long distinctUsers, boolean newUsersOnly,
			Wrk.Load load, long personaCalls, double personaMillisPerCall, double cacheHits, double memoryHits,
			double expectedCallsPerRequest, double serviceCpuSeconds, double postgresCpuSeconds,
			double machineBusyCores) {

		double callsPerRequest() {
			return (this.load.requests() > 0) ? this.personaCalls / (double) this.load.requests() : Double.NaN;
		}

		/**
		 * Whether the calls match the promise; requests still in flight when wrk stopped
		 * had their calls counted but not their answers, so up to one more call per
		 * connection is allowed.
		 */
		boolean callsAsExpected() {
			double expected = this.expectedCallsPerRequest * this.load.requests();
			double slack = this.expectedCallsPerRequest * this.connections;
			return this.personaCalls >= expected && this.personaCalls <= expected + slack;
		}

		/** The share of answers served from the service's memory. */
		double memoryShare() {
			return (this.load.requests() > 0) ? Math.min(1.0, this.memoryHits / this.load.requests()) : Double.NaN;
		}

		double serviceCpuMillisPerRequest() {
			return 1000.0 * this.serviceCpuSeconds / this.load.requests();
		}

		double postgresCpuMillisPerRequest() {
			return (this.postgresCpuSeconds < 0) ? Double.NaN : 1000.0 * this.postgresCpuSeconds / this.load.requests();
		}

		/** No errors, and no user sent twice where each had to be new. */
		boolean clean() {
			return this.load.errors() == 0 && (!this.newUsersOnly || this.load.reused() == 0);
		}

	}

	/**
	 * Rounds of ceiling and cached gate load run before measuring, until the gate's
	 * throughput settled (the JIT compilers share the two cores with the load, so the
	 * service takes minutes to reach its speed).
	 *
	 * @param ceiling the ceiling's throughput in each round, req/s
	 * @param gate the cached gate's throughput in each round, req/s
	 * @param seconds how long the warm-up took
	 */
	record WarmUp(List<Double> ceiling, List<Double> gate, double seconds) {
	}

	/**
	 * @param startupSeconds from process start to the first healthy answer
	 * @param springStartedSeconds what Spring Boot logs as its start-up time
	 * @param peakRss {@code VmHWM} at the end, bytes
	 * @param cpuSeconds CPU time at the end
	 */
	record ServiceFigures(double startupSeconds, Double springStartedSeconds, long peakRss, double cpuSeconds) {
	}

}
