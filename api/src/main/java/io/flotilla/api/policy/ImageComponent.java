package io.flotilla.api.policy;

/**
 * The part of an image reference {@code [registry/]repository[:tag][@digest]} that an image
 * overrider changes. {@code Tag} stands for the tag, or the digest when the image has no tag.
 */
public enum ImageComponent {
  Registry,
  Repository,
  Tag
}
