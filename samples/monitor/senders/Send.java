import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Reports one event to the live monitor with nothing but the JDK (11+):
 *
 *   java Send.java <publish-url> "query: cart totals took 230 ms"
 */
public class Send {

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: java Send.java <publish-url> \"kind: what happened\"");
      System.exit(2);
    }
    URI uri = URI.create(args[0] + "?message=" + URLEncoder.encode(args[1], StandardCharsets.UTF_8));
    HttpResponse<String> answer = HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    System.out.println(answer.statusCode() + " " + answer.body()); // 202 {"seq":…,"delivered":…,"subscribers":…}
  }
}
