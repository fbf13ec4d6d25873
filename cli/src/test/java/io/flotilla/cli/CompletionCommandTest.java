package io.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompletionCommandTest {
  @Test
  void theBashScriptCompletesEveryCommandAndItsSubcommands() {
    Cli r = Cli.run("completion");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("complete -F _complete_flotilla")
        .contains("apply", "get", "describe", "delete", "demo", "sandbox", "cluster")
        .contains("cordon", "uncordon", "recover")
        .as("the demo's --type values")
        .contains("kafka", "rocketmq", "elasticsearch");
  }
}
