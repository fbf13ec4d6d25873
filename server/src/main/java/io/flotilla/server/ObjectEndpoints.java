package io.flotilla.server;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.Problem;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.StoreException;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Create, read, update, delete and list the objects of {@link ApiResource} in the store, under
 * Kubernetes-shaped paths. Bodies are checked before anything is stored: apiVersion, kind,
 * namespace and name must agree with the URL (else 400 naming the field), and the kind's reader
 * must find no problem (else 422 listing every one with its field path).
 */
final class ObjectEndpoints {
  private static final String NS = ApiResource.PREFIX + "/namespaces/{namespace}/{resource}";
  private static final String ALL = ApiResource.PREFIX + "/{resource}";

  private final ObjectStore store;

  ObjectEndpoints(ObjectStore store) {
    this.store = store;
  }

  /** Adds the routes; namespaced paths first, so "namespaces" is never taken for a resource. */
  void register(Router router) {
    router
        .add("GET", NS, this::list)
        .add("POST", NS, this::create)
        .add("GET", NS + "/{name}", this::get)
        .add("PUT", NS + "/{name}", this::update)
        .add("DELETE", NS + "/{name}", this::delete)
        .add("GET", NS + "/{name}/status", this::get)
        .add("PUT", NS + "/{name}/status", this::updateStatus)
        .add("GET", ALL, this::list)
        .add("POST", ALL, this::create)
        .add("GET", ALL + "/{name}", this::get)
        .add("PUT", ALL + "/{name}", this::update)
        .add("DELETE", ALL + "/{name}", this::delete)
        .add("GET", ALL + "/{name}/status", this::get)
        .add("PUT", ALL + "/{name}/status", this::updateStatus);
  }

  /** What a request is about: a kind, a namespace ("" for all, or cluster-scoped), maybe a name. */
  private record Target(ApiResource resource, String namespace, Optional<String> name) {
    ObjectRef ref() {
      return new ObjectRef(ApiVersion.API_VERSION, resource.kind(), namespace, name.orElseThrow());
    }
  }

  private static Target target(Request q) {
    String plural = q.param("resource");
    ApiResource resource =
        ApiResource.byPlural(plural)
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "no such resource \""
                            + plural
                            + "\" in "
                            + ApiVersion.API_VERSION
                            + "; there are "
                            + String.join(
                                ", ",
                                java.util.Arrays.stream(ApiResource.values())
                                    .map(ApiResource::plural)
                                    .toList())));
    Optional<String> namespace = q.optionalParam("namespace");
    Optional<String> name = q.optionalParam("name");
    if (namespace.isPresent() && !resource.namespaced()) {
      throw ApiException.notFound(
          resource.kind()
              + " is cluster-scoped: use "
              + resource.collectionPath("")
              + name.map(n -> "/" + n).orElse(""));
    }
    if (namespace.isEmpty() && resource.namespaced() && name.isPresent()) {
      throw ApiException.notFound(
          resource.kind()
              + " is namespaced: use "
              + ApiResource.PREFIX
              + "/namespaces/{namespace}/"
              + resource.plural()
              + "/"
              + name.get());
    }
    return new Target(resource, namespace.orElse(""), name);
  }

  private Response list(Request q) {
    Target t = target(q);
    String version = store.resourceVersion();
    List<KubeObject> objects =
        store.list(ApiVersion.API_VERSION, t.resource().kind(), t.namespace());
    ObjectNode body = Json.object();
    body.put("apiVersion", ApiVersion.API_VERSION);
    body.put("kind", t.resource().kind() + "List");
    body.putObject("metadata").put("resourceVersion", version);
    ArrayNode items = body.putArray("items");
    objects.forEach(o -> items.add(o.json()));
    return Response.ok(body);
  }

  private Response get(Request q) {
    Target t = target(q);
    return Response.ok(stored(t).json());
  }

  private KubeObject stored(Target t) {
    return store.get(t.ref()).orElseThrow(() -> ApiException.notFound(t.ref() + " not found"));
  }

  private Response create(Request q) {
    Target t = target(q);
    if (t.resource().namespaced() && t.namespace().isEmpty()) {
      throw new ApiException(
          405,
          "MethodNotAllowed",
          t.resource().kind()
              + " is namespaced: create it under "
              + ApiResource.PREFIX
              + "/namespaces/{namespace}/"
              + t.resource().plural(),
          List.of());
    }
    KubeObject object = checkedBody(q, t, true);
    return Response.created(store(() -> store.create(object)).json());
  }

  private Response update(Request q) {
    Target t = target(q);
    KubeObject object = checkedBody(q, t, true);
    return Response.ok(store(() -> store.update(object)).json());
  }

  private Response updateStatus(Request q) {
    Target t = target(q);
    KubeObject object = checkedBody(q, t, false);
    return Response.ok(store(() -> store.updateStatus(object)).json());
  }

  private Response delete(Request q) {
    Target t = target(q);
    requireWritable(t);
    stored(t);
    Optional<KubeObject> left = store(() -> store.delete(t.ref()));
    if (left.isPresent()) {
      return Response.ok(left.get().json()); // being deleted: finalizers remain
    }
    ObjectNode status = Json.object();
    status.put("kind", "Status");
    status.put("status", "Success");
    status.put("message", t.ref() + " deleted");
    ObjectNode details = status.putObject("details");
    details.put("kind", t.resource().kind());
    details.put("namespace", t.namespace());
    details.put("name", t.name().orElseThrow());
    return Response.ok(status);
  }

  private static void requireWritable(Target t) {
    if (!t.resource().writable()) {
      throw new ApiException(
          405,
          "MethodNotAllowed",
          t.resource().kind()
              + " objects are written by the control plane only; the API serves them read-only",
          List.of());
    }
  }

  /**
   * The body as an object of the URL's kind, namespace and name, valid by its kind's reader ({@code
   * validate}; a status write is checked by the store only).
   */
  private static KubeObject checkedBody(Request q, Target t, boolean validate) {
    requireWritable(t);
    ObjectNode body = Json.readObject(q.body());
    String kind = t.resource().kind();
    expect(body, "apiVersion", ApiVersion.API_VERSION, "the API's version");
    expect(body, "kind", kind, "the URL's kind");
    JsonNode meta = body.get("metadata");
    if (meta == null || !meta.isObject()) {
      throw ApiException.badRequest("metadata", "required: an object with at least a name");
    }
    ObjectNode metadata = (ObjectNode) meta;
    if (t.resource().namespaced()) {
      JsonNode ns = metadata.get("namespace");
      if (ns == null || ns.isNull()) {
        metadata.put("namespace", t.namespace());
      } else if (!ns.isString() || !ns.stringValue().equals(t.namespace())) {
        throw ApiException.badRequest(
            "metadata.namespace",
            "must be the URL's namespace \"" + t.namespace() + "\", got " + ns);
      }
    }
    if (t.name().isPresent()) {
      JsonNode name = metadata.get("name");
      if (name == null || !name.isString() || !name.stringValue().equals(t.name().get())) {
        throw ApiException.badRequest(
            "metadata.name",
            "must be the URL's name \""
                + t.name().get()
                + "\", got "
                + (name == null ? "none" : name.toString()));
      }
    }
    String where =
        kind
            + " "
            + (t.namespace().isEmpty() ? "" : t.namespace() + "/")
            + metadata.path("name").asString("");
    if (validate) {
      List<Problem> problems = t.resource().validate(body, where);
      if (!problems.isEmpty()) {
        throw new ApiException(
            422,
            "Invalid",
            where
                + " is invalid: "
                + problems.size()
                + (problems.size() == 1 ? " problem" : " problems"),
            problems);
      }
    }
    JsonNode name = metadata.get("name");
    if (name == null || !name.isString() || name.stringValue().isEmpty()) {
      throw new ApiException(
          422,
          "Invalid",
          where + " is invalid: metadata.name is required",
          List.of(new Problem("metadata.name", "required")));
    }
    if (t.name().isPresent() && !metadata.path("resourceVersion").isString()) {
      throw new ApiException(
          422,
          "Invalid",
          where + " is invalid: an update needs the resourceVersion it was read at",
          List.of(
              new Problem(
                  "metadata.resourceVersion",
                  "required for an update: read the object, change it and send it back with its"
                      + " resourceVersion")));
    }
    return KubeObject.of(body);
  }

  private static void expect(ObjectNode body, String field, String expected, String whose) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      throw ApiException.badRequest(field, "required: " + expected);
    }
    if (!v.isString() || !v.stringValue().equals(expected)) {
      throw ApiException.badRequest(field, "must be " + whose + " \"" + expected + "\", got " + v);
    }
  }

  /** Runs a store call, turning its failures into API errors. */
  private static <T> T store(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (StoreException e) {
      throw switch (e.reason()) {
        case NOT_FOUND -> new ApiException(404, "NotFound", e.getMessage(), List.of());
        case ALREADY_EXISTS -> new ApiException(409, "AlreadyExists", e.getMessage(), List.of());
        case CONFLICT -> new ApiException(409, "Conflict", e.getMessage(), List.of());
        case INVALID -> new ApiException(422, "Invalid", e.getMessage(), List.of());
        case GONE -> new ApiException(410, "Gone", e.getMessage(), List.of());
        case IO -> new ApiException(500, "StoreError", e.getMessage(), List.of());
      };
    }
  }
}
