package io.flotilla.api;

/** The API group and version of every Flotilla object. */
public final class ApiVersion {
  public static final String GROUP = "flotilla.io";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  private ApiVersion() {}
}
