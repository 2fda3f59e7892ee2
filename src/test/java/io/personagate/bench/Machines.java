package io.personagate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the benchmark ran on, read off the machine. */
final class Machines {

	private Machines() {
	}

	static Results.Machine describe(BenchDatabase database) {
		String postgresSetup = database.description() + "; shared_buffers " + database.setting("shared_buffers")
				+ ", synchronous_commit " + database.setting("synchronous_commit") + ", max_connections "
				+ database.setting("max_connections");
		return new Results.Machine(Runtime.getRuntime().availableProcessors(), memory(), cpuModel(), os(), jdk(),
				database.version(), postgresSetup, Wrk.version());
	}

	static String jdk() {
		return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
				+ System.getProperty("java.vendor") + ")";
	}

	private static long memory() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
				if (line.startsWith("MemTotal:")) {
					return Long.parseLong(line.substring("MemTotal:".length()).replace("kB", "").trim()) * 1024;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux
		}
		return -1;
	}

	private static String cpuModel() {
		try {
			return Files.readAllLines(Path.of("/proc/cpuinfo"))
				.stream()
				.filter((line) -> line.startsWith("model name"))
				.map((line) -> line.substring(line.indexOf(':') + 1).trim())
				.findFirst()
				.orElse("?");
		}
		catch (IOException ex) {
			return "?";
		}
	}

	private static String os() {
		try {
			return Files.readAllLines(Path.of("/etc/os-release"))
				.stream()
				.filter((line) -> line.startsWith("PRETTY_NAME="))
				.map((line) -> line.substring("PRETTY_NAME=".length()).replace("\"", ""))
				.findFirst()
				.orElse("?") + ", Linux " + System.getProperty("os.version");
		}
		catch (IOException ex) {
			return System.getProperty("os.name") + " " + System.getProperty("os.version");
		}
	}

}
