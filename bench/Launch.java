import java.util.Arrays;

import io.personagate.bench.BenchPersona;
import io.personagate.bench.Benchmark;

/**
 * Entry point of bench/run, started as a source file (java -cp ... bench/Launch.java). The benchmark's
 * classes live with the tests, and a main method there would stop ./mvnw spring-boot:test-run from
 * finding the development application as the one to run.
 * <p>
 * {@code Launch [options]} runs the benchmark; {@code Launch persona MS} runs the Persona emulator in a
 * process of its own, as the benchmark does.
 */
public class Launch {

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("persona")) {
			BenchPersona.serve(Arrays.copyOfRange(args, 1, args.length));
		}
		else {
			Benchmark.launch(args);
		}
	}

}
