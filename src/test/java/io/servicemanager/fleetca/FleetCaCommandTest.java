package io.servicemanager.fleetca;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Main;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetCaCommandTest {
  @TempDir Path dir;

  private static X509Certificate cert(Path file) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file)));
  }

  @Test
  @DisplayName("fleet-ca makes a CA and a certificate per node signed by it, with private keys 0600")
  void makesCaAndNodes() throws Exception {
    int status = Main.commandLine().execute("fleet-ca", "--dir", dir.toString(), "game-1", "game-2");
    assertThat(status).isZero();
    X509Certificate ca = cert(dir.resolve("ca.pem"));
    assertThat(ca.getBasicConstraints()).as("a CA").isGreaterThanOrEqualTo(0);
    for (String node : new String[] {"game-1", "game-2"}) {
      X509Certificate cert = cert(dir.resolve(node + ".pem"));
      cert.verify(ca.getPublicKey());
      assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=" + node);
      assertThat(cert.getBasicConstraints()).as("not a CA").isEqualTo(-1);
      assertThat(cert.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
      assertThat(Files.readString(dir.resolve(node + ".key"))).startsWith("-----BEGIN PRIVATE KEY-----");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(node + ".key")))).isEqualTo("rw-------");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key")))).isEqualTo("rw-------");
  }

  @Test
  @DisplayName("A second run keeps the CA, so nodes issued later join the same fleet")
  void keepsCa() throws Exception {
    assertThat(Main.commandLine().execute("fleet-ca", "--dir", dir.toString(), "a")).isZero();
    byte[] first = Files.readAllBytes(dir.resolve("ca.pem"));
    assertThat(Main.commandLine().execute("fleet-ca", "--dir", dir.toString(), "b")).isZero();
    assertThat(Files.readAllBytes(dir.resolve("ca.pem"))).isEqualTo(first);
    cert(dir.resolve("b.pem")).verify(cert(dir.resolve("ca.pem")).getPublicKey());
  }

  @Test
  @DisplayName("A node name that could not be a cluster.node is refused with exit status 2 and nothing written")
  void badNode() throws Exception {
    assertThat(Main.commandLine().execute("fleet-ca", "--dir", dir.resolve("ca").toString(), "bad/name")).isEqualTo(2);
    assertThat(dir.resolve("ca")).doesNotExist();
  }
}
