package io.personagate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What Linux's {@code /proc} says about a process and the machine: peak and current
 * resident memory ({@code VmHWM}, {@code VmRSS} of {@code /proc/<pid>/status}), CPU time
 * ({@code utime + stime} of {@code /proc/<pid>/stat}), and the machine's busy and total
 * CPU time ({@code /proc/stat}).
 */
final class ProcStats {

	/**
	 * Clock ticks per second of {@code /proc}'s times; 100 on every Linux this runs on.
	 */
	static final double TICKS_PER_SECOND = 100.0;

	private ProcStats() {
	}

	/** Peak resident set size in bytes, or -1 once the process is gone. */
	static long peakRss(long pid) {
		return statusKb(pid, "VmHWM:") * 1024;
	}

	static long rss(long pid) {
		return statusKb(pid, "VmRSS:") * 1024;
	}

	private static long statusKb(long pid, String field) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
				if (line.startsWith(field)) {
					return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
				}
			}
			return -1;
		}
		catch (IOException ex) {
			return -1;
		}
	}

	/** User plus system CPU seconds the process has used, or -1 once it is gone. */
	static double cpuSeconds(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			// the command name, in parentheses, may itself hold spaces: count fields
			// after its closing one
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	/**
	 * CPU seconds of a process and all its descendants now alive (PostgreSQL's server and
	 * its backends).
	 */
	static double treeCpuSeconds(long pid) {
		return ProcessHandle.of(pid)
			.map((root) -> Stream.concat(Stream.of(root), root.descendants())
				.mapToDouble((process) -> Math.max(0, cpuSeconds(process.pid())))
				.sum())
			.orElse(-1.0);
	}

	/** The machine's CPU time as [busy, total] seconds, over all cores, since boot. */
	static double[] machineCpu() {
		try {
			List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
			String[] fields = lines.get(0).trim().split("\\s+");
			long total = 0;
			for (int i = 1; i < Math.min(fields.length, 9); i++) {
				total += Long.parseLong(fields[i]);
			}
			long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
			return new double[] { (total - idle) / TICKS_PER_SECOND, total / TICKS_PER_SECOND };
		}
		catch (IOException ex) {
			return new double[] { 0, 0 };
		}
	}

	/** The 1-minute load average. */
	static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
		}
		catch (IOException ex) {
			return "?";
		}
	}

}
