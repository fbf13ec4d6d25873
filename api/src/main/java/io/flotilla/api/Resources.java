package io.flotilla.api;

import java.math.BigInteger;

/**
 * The two resources Flotilla schedules by, as exact integers: cpu in millicores, memory in bytes.
 * Validation keeps every value within {@link #MAX_CPU_MILLIS} and {@link #MAX_MEMORY_BYTES} so that
 * a replica count times a request never overflows a {@code long}.
 */
public record Resources(long cpuMillis, long memoryBytes) {
  /** 2^50 millicores, about 10^12 cores. */
  public static final long MAX_CPU_MILLIS = 1L << 50;

  /** 2^60 bytes, one exbibyte. */
  public static final long MAX_MEMORY_BYTES = 1L << 60;

  public static final Resources ZERO = new Resources(0, 0);

  public Resources plus(Resources o) {
    return new Resources(cpuMillis + o.cpuMillis, memoryBytes + o.memoryBytes);
  }

  public Resources minus(Resources o) {
    return new Resources(cpuMillis - o.cpuMillis, memoryBytes - o.memoryBytes);
  }

  public Resources times(long n) {
    return new Resources(Math.multiplyExact(cpuMillis, n), Math.multiplyExact(memoryBytes, n));
  }

  public boolean isZero() {
    return cpuMillis == 0 && memoryBytes == 0;
  }

  /** "1500m cpu, 4Gi memory". */
  @Override
  public String toString() {
    return formatCpu(cpuMillis) + " cpu, " + formatMemory(memoryBytes) + " memory";
  }

  /** Millicores as Kubernetes writes them: "2", "1500m". */
  public static String formatCpu(long millis) {
    return millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "m";
  }

  /** Bytes in the largest binary unit that divides them exactly: "4Gi", "1536Mi", "1000". */
  public static String formatMemory(long bytes) {
    String[] units = {"Ei", "Pi", "Ti", "Gi", "Mi", "Ki"};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << (10 * (units.length - i));
      if (bytes != 0 && bytes % unit == 0) {
        return (bytes / unit) + units[i];
      }
    }
    return BigInteger.valueOf(bytes).toString();
  }
}
