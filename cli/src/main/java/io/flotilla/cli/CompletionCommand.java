package io.flotilla.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code flotilla completion}: the bash (and zsh) completion script. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a completion script for bash (zsh loads it too, with bashcompinit): every command,"
          + " subcommand and option, and the values of options that have a fixed set."
    },
    footer = {
      "",
      "Examples:",
      "  source <(flotilla completion)",
      "  flotilla completion > /etc/bash_completion.d/flotilla"
    })
final class CompletionCommand implements Callable<Integer> {
  @Spec private picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    picocli.CommandLine root = spec.commandLine().getParent();
    spec.commandLine().getOut().print(AutoComplete.bash("flotilla", root));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
