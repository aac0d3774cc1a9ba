package dev.addressable.relay;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The relay's layering, checked on its compiled classes: no package depends on itself through
 * others, the core knows none of its adapters, and each outside library stays in the one package
 * that adapts it (Jetty and Javalin in {@code http}, Lettuce with its Netty and Reactor in
 * {@code cluster}, Micrometer in {@code metrics} and {@code http}); {@code cluster} builds on the
 * core and on no other adapter.
 */
class LayeringTest {

  private static final String RELAY = "dev.addressable.relay";
  /** The core: where a message enters, waits and leaves, with nothing of HTTP, Redis or metrics. */
  private static final String[] CORE = {
      RELAY + ".address..", RELAY + ".config..", RELAY + ".event..", RELAY + ".feed..", RELAY + ".hub..", RELAY + ".inbox..",
      RELAY + ".memory..", RELAY + ".parking..", RELAY + ".secret..", RELAY + ".send..", RELAY + ".store..",
      RELAY + ".text..", RELAY + ".topic..", RELAY + ".transport..", RELAY + ".variable.."};

  private static JavaClasses relay;

  @BeforeAll
  static void importRelay() {
    relay = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(RELAY);
  }

  @Test
  void noPackageCycles() {
    noCycles().check(relay);
  }

  @Test
  void theCycleRuleSeesACycle() {
    JavaClasses cyclic = new ClassFileImporter().importPackages(RELAY + ".layering.cycle");
    EvaluationResult result = noCycles().evaluate(cyclic);
    assertTrue(result.hasViolation(), "the fixture's a <-> b cycle went unnoticed");
  }

  @Test
  void theCoreKnowsNoAdapter() {
    noClasses().that().resideInAnyPackage(CORE)
        .should().dependOnClassesThat().resideInAnyPackage(RELAY + ".http..", RELAY + ".webhook..",
            RELAY + ".metrics..", RELAY + ".cluster..")
        .check(relay);
  }

  @Test
  void jettyAndJavalinOnlyInHttp() {
    onlyIn("http", "io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..").check(relay);
  }

  @Test
  void lettuceAndWhatItBringsOnlyInCluster() {
    onlyIn("cluster", "io.lettuce..", "io.netty..", "reactor..").check(relay);
  }

  /** Cluster mode adapts the core to Redis; it knows no other adapter (http may ask it for health, not the reverse). */
  @Test
  void theClusterKnowsNoOtherAdapter() {
    noClasses().that().resideInAPackage(RELAY + ".cluster..")
        .should().dependOnClassesThat().resideInAnyPackage(RELAY + ".http..", RELAY + ".webhook..", RELAY + ".metrics..")
        .check(relay);
  }

  @Test
  void micrometerOnlyInMetricsAndHttp() {
    noClasses().that().resideOutsideOfPackages(RELAY + ".metrics..", RELAY + ".http..")
        .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..", "io.prometheus..")
        .check(relay);
  }

  @Test
  void theLibraryRulesSeeAnImport() {
    // Relay wires the server, so it depends on http; a rule that forbade that would fail.
    EvaluationResult result = noClasses().that().haveSimpleName("Relay")
        .should().dependOnClassesThat().resideInAnyPackage(RELAY + ".http..").evaluate(relay);
    assertTrue(result.hasViolation());
    assertFalse(relay.getPackage(RELAY + ".http").getClasses().isEmpty());
  }

  private static ArchRule noCycles() {
    return slices().matching(RELAY + ".(**)").should().beFreeOfCycles();
  }

  private static ArchRule onlyIn(String adapter, String... libraries) {
    return noClasses().that().resideOutsideOfPackage(RELAY + "." + adapter + "..")
        .should().dependOnClassesThat().resideInAnyPackage(libraries);
  }
}
