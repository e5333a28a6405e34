package io.prebuilds.simulation;

/** A scenario line that cannot be run; the message names the line and the reason. */
public final class ScenarioException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int line;

  public ScenarioException(int line, String reason) {
    super("line " + line + ": " + reason);
    this.line = line;
  }

  public int line() {
    return line;
  }
}
