package io.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Every command and subcommand answers {@code --help} with a description and an example. */
class EveryCommandHelpTest {
  static Stream<String> commands() {
    List<String> out = new ArrayList<>();
    walk(new CommandLine(new Main()), "", out);
    return out.stream();
  }

  private static void walk(CommandLine cl, String prefix, List<String> out) {
    for (var e : cl.getSubcommands().entrySet()) {
      if (!e.getKey().equals(e.getValue().getCommandName())
          || e.getValue().getCommand() instanceof CommandLine.HelpCommand) {
        continue; // an alias, or picocli's own `help COMMAND`
      }
      String path = (prefix + " " + e.getKey()).trim();
      out.add(path);
      walk(e.getValue(), path, out);
    }
  }

  @ParameterizedTest(name = "flotilla {0} --help")
  @MethodSource("commands")
  void helpHasADescriptionAndAnExample(String command) {
    List<String> args = new ArrayList<>(List.of(command.split(" ")));
    args.add("--help");
    Cli r = Cli.run(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith("Usage: flotilla " + command)
        .contains("Example")
        .containsPattern("\n  flotilla " + command + "( |\n)");
  }

  @org.junit.jupiter.api.Test
  void theWalkFindsTheSubcommandsOfSubcommands() {
    assertThat(commands().toList())
        .contains("apply", "cluster drain", "cluster cordon", "sandbox up", "completion");
  }
}
