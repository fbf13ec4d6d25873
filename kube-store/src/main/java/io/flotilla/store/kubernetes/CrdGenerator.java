package io.flotilla.store.kubernetes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Writes the {@code apiextensions.k8s.io/v1} CustomResourceDefinitions of the flotilla.io kinds
 * ({@link FlotillaKinds}) as {@code <plural>.flotilla.io.yaml}, one file per kind: structural
 * schemas for {@code spec}, {@code status} kept as written (the controller owns it) behind the
 * status subresource, and printer columns. Run from the repository root to refresh {@code
 * deploy/crds}; a test fails when the shipped files differ from what this writes.
 */
public final class CrdGenerator {
  /** The header of every generated file. */
  static final String HEADER =
      "# Generated from the flotilla.io model by io.flotilla.store.kubernetes.CrdGenerator; do not"
          + " edit.\n"
          + "# Regenerate: mvn -pl kube-store -am verify -Dtest=ShippedCrdsTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dcrds.update=true\n";

  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
          .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
          .build();

  private CrdGenerator() {}

  /** Writes every CRD into {@code args[0]} (default {@code deploy/crds}). */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "deploy/crds");
    write(dir);
  }

  /** Writes the files into {@code dir}, creating it if needed. */
  public static void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (Map.Entry<String, String> e : files().entrySet()) {
      Files.writeString(dir.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
    }
  }

  /** File name → content, in {@link FlotillaKinds#ALL}'s order. */
  public static Map<String, String> files() {
    Map<String, String> out = new LinkedHashMap<>();
    for (FlotillaKind k : FlotillaKinds.ALL) {
      out.put(k.crdName() + ".yaml", HEADER + YAML.writeValueAsString(crd(k)));
    }
    return out;
  }

  /** The CustomResourceDefinition of one kind. */
  public static ObjectNode crd(FlotillaKind k) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode crd = f.objectNode();
    crd.put("apiVersion", "apiextensions.k8s.io/v1");
    crd.put("kind", "CustomResourceDefinition");
    ObjectNode meta = crd.putObject("metadata");
    meta.put("name", k.crdName());
    meta.putObject("labels").put("app.kubernetes.io/part-of", "flotilla");
    ObjectNode spec = crd.putObject("spec");
    spec.put("group", FlotillaKind.GROUP);
    ObjectNode names = spec.putObject("names");
    names.put("kind", k.kind());
    names.put("listKind", k.kind() + "List");
    names.put("plural", k.plural());
    names.put("singular", k.singular());
    k.shortNames().forEach(names.putArray("shortNames")::add);
    names.putArray("categories").add("flotilla");
    spec.put("scope", k.namespaced() ? "Namespaced" : "Cluster");
    ObjectNode version = spec.putArray("versions").addObject();
    version.put("name", FlotillaKind.VERSION);
    version.put("served", true);
    version.put("storage", true);
    version.putObject("subresources").putObject("status");
    ArrayNode columns = version.putArray("additionalPrinterColumns");
    for (FlotillaKind.Column c : k.columns()) {
      ObjectNode col = columns.addObject();
      col.put("name", c.name());
      col.put("type", c.type());
      col.put("jsonPath", c.jsonPath());
      col.put("description", c.description());
    }
    ObjectNode age = columns.addObject();
    age.put("name", "Age");
    age.put("type", "date");
    age.put("jsonPath", ".metadata.creationTimestamp");
    ObjectNode root = version.putObject("schema").putObject("openAPIV3Schema");
    root.put("description", "A flotilla.io " + k.kind() + ".");
    root.put("type", "object");
    ObjectNode props = root.putObject("properties");
    props.putObject("apiVersion").put("type", "string");
    props.putObject("kind").put("type", "string");
    props.putObject("metadata").put("type", "object");
    props.set("spec", k.spec().toJson());
    ObjectNode status = props.putObject("status");
    status.put("description", "Written by the control plane; kept as written.");
    status.put("type", "object");
    status.put("x-kubernetes-preserve-unknown-fields", true);
    return crd;
  }
}
