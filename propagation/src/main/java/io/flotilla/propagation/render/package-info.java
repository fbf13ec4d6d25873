/**
 * Rendering a resource template for each member cluster (pure: no I/O, no clock): which
 * PropagationPolicy governs a template and where it goes ({@link
 * io.flotilla.propagation.render.PolicyMatcher}), and the template's per-cluster form after the
 * OverridePolicies ({@link io.flotilla.propagation.render.OverrideRenderer}), with Karmada's
 * semantics, order of application and precedence.
 */
package io.flotilla.propagation.render;
