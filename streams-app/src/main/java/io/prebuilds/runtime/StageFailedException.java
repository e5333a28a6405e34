package io.prebuilds.runtime;

/** A stage could not start; the stages before it have been stopped again. */
public final class StageFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String stage;

  public StageFailedException(String stage, Throwable cause) {
    super("failed to start " + stage + ": " + describe(cause), cause);
    this.stage = stage;
  }

  public String stage() {
    return stage;
  }

  private static String describe(Throwable cause) {
    var message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }
}
