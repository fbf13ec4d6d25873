package io.flotilla.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.MiddlewareType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AdaptersTest {
  @ParameterizedTest(name = "{0} has an adapter of its own type")
  @EnumSource(MiddlewareType.class)
  void everyTypeHasAnAdapterOfItsOwnType(MiddlewareType type) {
    assertThat(Adapters.of(type).type()).isEqualTo(type);
  }
}
