package io.flotilla.store;

import io.flotilla.store.StoreException.Reason;
import java.util.regex.Pattern;

/**
 * Resource versions as stores write them: a store-wide counter as a decimal string ("0" before the
 * first change).
 */
public final class ResourceVersions {
  private static final Pattern DECIMAL = Pattern.compile("[0-9]+");

  private ResourceVersions() {}

  public static String format(long version) {
    if (version < 0) {
      throw new IllegalArgumentException("a resource version is not negative: " + version);
    }
    return Long.toString(version);
  }

  /**
   * The number in a resource version given by a caller.
   *
   * @throws StoreException INVALID when it is not a decimal number
   */
  public static long parse(String version) {
    if (version != null && DECIMAL.matcher(version).matches()) {
      try {
        return Long.parseLong(version);
      } catch (NumberFormatException tooLarge) {
        // falls through
      }
    }
    throw new StoreException(
        Reason.INVALID,
        null,
        "resource version \"" + version + "\" is not one a store writes (a decimal number)");
  }
}
