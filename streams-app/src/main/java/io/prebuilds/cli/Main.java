package io.prebuilds.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import io.prebuilds.runtime.StageFailedException;
import io.prebuilds.runtime.config.ConfigException;

/**
 * The {@code prebuilds} executable. Exit codes: 0 ok, 1 runtime failure, 2 usage or config error.
 * Errors are one line on stderr, never a stack trace (the log has the details).
 */
@Command(
    name = "prebuilds",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Keeps pools of prebuilt workspaces warm, as a Kafka Streams service.")
public final class Main implements Runnable {
  static final int OK = 0;
  static final int FAILURE = 1;
  static final int USAGE = 2;

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine(System.getenv(), components()).execute(args));
  }

  /**
   * What the commands start on top of the runtime: the Kafka Streams app behind its topic check
   * ({@code dev} adds its broker, topics, read model and demo workload around these).
   */
  static Components components() {
    var app = ServiceStages.app();
    return new Components(List.of(app), List.of(app));
  }

  /** The command line with its commands, reading the given environment (tests pass their own). */
  static CommandLine commandLine(Map<String, String> environment, Components components) {
    var commandLine = new CommandLine(new Main());
    commandLine.addSubcommand(new RunCommand(environment, components.run()));
    commandLine.addSubcommand(new DevCommand(environment, components.dev()));
    commandLine.addSubcommand(new SimulateCommand());
    commandLine.addSubcommand(TopicsCommand.commandLine(environment));
    commandLine.addSubcommand(new ValidateCommand());
    commandLine.addSubcommand(new DriftCommand(environment));
    commandLine.setParameterExceptionHandler(Main::usageError);
    commandLine.setExecutionExceptionHandler(Main::failure);
    return commandLine;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  private static int usageError(CommandLine.ParameterException e, String[] args) {
    var command = e.getCommandLine().getCommandSpec().qualifiedName();
    e.getCommandLine()
        .getErr()
        .println("prebuilds: " + e.getMessage() + " (see '" + command + " --help')");
    return USAGE;
  }

  private static int failure(
      Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    log.atDebug().setCause(e).log("command failed");
    PrintWriter err = commandLine.getErr();
    if (e instanceof ConfigException) {
      err.println("prebuilds: " + e.getMessage());
      return USAGE;
    }
    if (e instanceof StageFailedException) {
      err.println("prebuilds: " + e.getMessage());
      return FAILURE;
    }
    err.println("prebuilds: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    return FAILURE;
  }

  /** The version from the executable jar's manifest. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      var version = Main.class.getPackage().getImplementationVersion();
      return new String[] {
        "prebuilds-streams " + (version == null ? "(development build)" : version)
      };
    }
  }
}
