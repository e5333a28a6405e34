package io.prebuilds.runtime.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeftoverPostgresTest {

  @TempDir Path dataDir;

  @Test
  void stopsTheServerAnEarlierRunLeftOnItsDirectoryAndKeepsItsData() throws Exception {
    Path directory = dataDir.resolve("postgres");
    Files.createDirectories(directory);
    int port = freePort();
    EmbeddedPostgres leftover = DevReadModel.startPostgres(directory, port);
    try (Connection connection = leftover.getPostgresDatabase().getConnection();
        var statement = connection.createStatement()) {
      statement.execute("CREATE TABLE kept (id int)");
    }
    long serverPid = Long.parseLong(Files.readAllLines(directory.resolve("postmaster.pid")).get(0));

    assertThat(LeftoverPostgres.stop(directory)).isTrue();

    assertThat(ProcessHandle.of(serverPid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(Files.exists(directory.resolve("postmaster.pid"))).isFalse();
    closeQuietly(leftover);
    try (EmbeddedPostgres restarted = DevReadModel.startPostgres(directory, port);
        Connection connection = restarted.getPostgresDatabase().getConnection();
        var rows =
            connection
                .createStatement()
                .executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'kept'")) {
      rows.next();
      assertThat(rows.getInt(1)).isEqualTo(1);
    }
  }

  @Test
  void findsNothingToStopWithoutAPidFile() throws IOException {
    assertThat(LeftoverPostgres.stop(dataDir)).isFalse();
    assertThat(LeftoverPostgres.stop(dataDir.resolve("never-created"))).isFalse();
  }

  @Test
  void leavesAPidFileOfAnotherDirectoryOrAnotherProgramAlone() throws IOException {
    long thisJvm = ProcessHandle.current().pid();
    Path other = Files.createDirectories(dataDir.resolve("other"));

    Files.writeString(dataDir.resolve("postmaster.pid"), thisJvm + "\n" + other + "\n");
    assertThat(LeftoverPostgres.stop(dataDir)).isFalse();

    Files.writeString(dataDir.resolve("postmaster.pid"), thisJvm + "\n" + dataDir + "\n");
    assertThat(LeftoverPostgres.stop(dataDir)).isFalse();

    Files.writeString(dataDir.resolve("postmaster.pid"), "not-a-pid\n" + dataDir + "\n");
    assertThat(LeftoverPostgres.stop(dataDir)).isFalse();
    assertThat(ProcessHandle.current().isAlive()).isTrue();
  }

  /**
   * The leftover's handle only still holds this JVM's lock on the directory; its server is gone.
   */
  private static void closeQuietly(EmbeddedPostgres handle) {
    try {
      handle.close();
    } catch (IOException e) {
      // pg_ctl finds no server to stop: expected, the test stopped it
    }
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
