package io.flotilla.server;

import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The global view ({@code GET /api/v1/view}), the drill what-if ({@code POST
 * /api/v1/drill/{cluster}?dryRun=true}) and relocation ({@code POST
 * /api/v1/middlewares/{namespace}/{name}/relocate}), served from the controller's {@link
 * ControlPlaneView}.
 */
final class ControlPlaneEndpoints {
  static final String VIEW = "/api/v1/view";
  static final String DRILL = "/api/v1/drill/{cluster}";
  static final String RELOCATE = "/api/v1/middlewares/{namespace}/{name}/relocate";

  private final ControlPlaneView view;

  ControlPlaneEndpoints(ControlPlaneView view) {
    this.view = view;
  }

  void register(Router router) {
    router
        .add("GET", VIEW, q -> Response.ok(view.globalView()))
        .add("POST", DRILL, this::drill)
        .add("POST", RELOCATE, this::relocate);
  }

  private Response drill(Request q) {
    String dryRun = q.queryParam("dryRun").orElse("");
    if (!dryRun.equals("true")) {
      throw new ApiException(
          400,
          "BadRequest",
          "dryRun: only --dry-run drills are supported by the API (add ?dryRun=true)",
          List.of(
              new io.flotilla.api.Problem(
                  "dryRun", "only --dry-run drills are supported by the API")));
    }
    String cluster = q.param("cluster");
    try {
      return Response.ok(view.drill(cluster));
    } catch (NoSuchElementException e) {
      throw ApiException.notFound("MemberCluster " + cluster + " not found");
    }
  }

  private Response relocate(Request q) {
    boolean dryRun =
        switch (q.queryParam("dryRun").orElse("false")) {
          case "true", "" -> true;
          case "false" -> false;
          default ->
              throw ApiException.badRequest(
                  "dryRun", "must be true or false, got " + q.queryParam("dryRun").orElse(""));
        };
    Relocation relocation = Relocation.read(q.body());
    try {
      return Response.ok(view.relocate(q.param("namespace"), q.param("name"), relocation, dryRun));
    } catch (NoSuchElementException e) {
      throw ApiException.notFound(e.getMessage());
    } catch (RefusedException e) {
      throw new ApiException(422, "Invalid", e.getMessage(), e.problems());
    } catch (ConcurrentModificationException e) {
      throw new ApiException(409, "Conflict", e.getMessage(), List.of());
    }
  }
}
