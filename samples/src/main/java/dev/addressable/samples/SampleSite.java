package dev.addressable.samples;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;

/** Serves the sample apps from the jar at {@code /samples/}, and sends {@code /} there. */
final class SampleSite {

  private SampleSite() {}

  static void configure(JavalinConfig cfg) {
    cfg.staticFiles.add(files -> {
      files.hostedPath = "/samples";
      files.directory = "/samples";
      files.location = Location.CLASSPATH;
    });
    cfg.routes.get("/", ctx -> ctx.redirect("/samples/", io.javalin.http.HttpStatus.FOUND));
  }
}
