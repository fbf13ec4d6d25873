package io.flotilla.server;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * The global view ({@code GET /api/v1/view}) and the drill what-if ({@code POST
 * /api/v1/drill/{cluster}?dryRun=true}), served from the controller's {@link ControlPlaneView}.
 */
final class ControlPlaneEndpoints {
  static final String VIEW = "/api/v1/view";
  static final String DRILL = "/api/v1/drill/{cluster}";

  private final ControlPlaneView view;

  ControlPlaneEndpoints(ControlPlaneView view) {
    this.view = view;
  }

  void register(Router router) {
    router.add("GET", VIEW, q -> Response.ok(view.globalView())).add("POST", DRILL, this::drill);
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
}
