package dev.addressable.relay.http.route;

import dev.addressable.relay.http.transport.Transport;
import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.ApiException;
import dev.addressable.relay.http.wire.Call;
import dev.addressable.relay.http.wire.Exchange;
import dev.addressable.relay.http.wire.Fields;
import dev.addressable.relay.http.wire.Jsonp;
import dev.addressable.relay.http.wire.Requests;
import dev.addressable.relay.http.wire.Route;
import dev.addressable.relay.memory.Fatal;
import dev.addressable.relay.metrics.Metrics;

/**
 * Serves the relay's endpoints, whichever path read the request: checks that apply to every
 * request, the methods each route takes, JSONP, and the mapping of every failure to the
 * protocol's error form. Knows nothing of Jetty; {@code fast.HotConnection} and {@code jetty.CoreRoutes}
 * hand it a {@link Call} and an {@link Exchange}.
 */
public final class Router {

  private final Endpoints endpoints;
  private final Metrics metrics;
  private final int maxUrlLength;

  public Router(Endpoints endpoints, Metrics metrics, int maxUrlLength) {
    this.endpoints = endpoints;
    this.metrics = metrics;
    this.maxUrlLength = maxUrlLength;
  }

  /** Whether the path reads a request body before it is served ({@link Call#body()}). */
  public static boolean readsBody(String method) {
    return "POST".equals(method);
  }

  /**
   * Serves {@code call}, a request of {@code route}: the answer goes to {@code exchange}, now or
   * later. Never throws: a refused request gets the protocol's error answer.
   */
  public void serve(Route route, Call call, Exchange exchange) {
    String callback = null;
    try {
      Requests.checkUrl(call.rawPath(), call.query(), maxUrlLength);
      if (call.is("OPTIONS")) {
        exchange.answer(preflight());
        return;
      }
      Fields fields = Fields.ofQuery(call.query());
      callback = Jsonp.callback(fields.get("callback"));
      Answer now = dispatch(route, call, fields, callback, exchange);
      if (now != null) {
        if (now.status() >= 400) {
          metrics.error();
        }
        exchange.answer(now);
      }
    } catch (Throwable failure) {
      Fatal.exitIfFatal(failure);
      metrics.error();
      exchange.answer(Answer.failed(failure, callback));
    }
  }

  /** The answer now, or {@code null} when the endpoint answers later through {@code exchange}. */
  private Answer dispatch(Route route, Call call, Fields fields, String callback, Exchange exchange) {
    Endpoints e = endpoints;
    String method = call.method();
    Transport transport = e.transports().find(route, callback);
    if (transport != null) {
      return transport.receive(call, fields, callback, exchange);
    }
    return switch (route.kind()) {
      case CHANNEL, CLIENT, TOPIC -> switch (method) {
        case "GET" -> {
          if (route.kind() == Route.Kind.CHANNEL && "status".equals(route.second()) && fields.get("message") == null) {
            yield e.status().handle(route.first(), null, callback, exchange); // {clientUrl}/status
          }
          yield e.send().get(route, fields, callback, exchange);
        }
        case "POST" -> e.send().post(route, call, fields.withBody(call, false), callback, exchange);
        case "HEAD" -> e.send().head(route, exchange);
        default -> throw ApiException.methodNotAllowed("GET, POST, HEAD");
      };
      case CONNECT -> {
        if (!method.equals("GET") && !method.equals("POST")) {
          throw ApiException.methodNotAllowed("POST, GET");
        }
        yield e.connect().handle(call, fields.withBody(call, true), callback, exchange);
      }
      case POLL, EVENTS, WEBSOCKET -> throw new IllegalStateException("no transport serves " + route.kind());
      case ACK -> {
        only(method, "POST");
        yield e.ack().handle(call, fields.withBody(call, true), callback, exchange);
      }
      case LEAVE -> {
        only(method, "POST");
        yield e.leave().handle(call, fields.withBody(call, true), callback, exchange);
      }
      case TOPICS -> {
        only(method, "POST");
        yield e.topics().create(call, callback, exchange);
      }
      case SUBSCRIBE -> {
        only(method, "POST");
        yield e.topics().subscribe(call, fields.withBody(call, true), callback, exchange);
      }
      case UNSUBSCRIBE -> {
        only(method, "POST");
        yield e.topics().unsubscribe(call, fields.withBody(call, true), callback, exchange);
      }
      case VARIABLE -> switch (method) {
        case "GET" -> {
          e.events().await(route.first(), fields, callback, exchange);
          yield null;
        }
        case "POST" -> e.events().set(route.first(), callback, exchange);
        default -> throw ApiException.methodNotAllowed("GET, POST");
      };
      case CLIENT_STATUS, CHANNEL_STATUS -> {
        only(method, "GET");
        yield e.status().handle(route.first(), route.second(), callback, exchange);
      }
      case HEALTH -> {
        only(method, "GET");
        yield e.ops().health(callback);
      }
      case METRICS -> {
        only(method, "GET");
        yield e.ops().metrics(call.header("Authorization"));
      }
      case DASHBOARD -> {
        only(method, "GET");
        yield e.dashboard().page(call.header("Authorization"));
      }
      case ASSET -> {
        only(method, "GET");
        yield e.assets().answer(route.first());
      }
    };
  }

  private static void only(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw ApiException.methodNotAllowed(allowed);
    }
  }

  /** A CORS preflight: any origin may call with the key in {@code Authorization}. */
  private static Answer preflight() {
    return Answer.empty(204).with(
        "Access-Control-Allow-Methods", "GET, POST, HEAD, OPTIONS",
        "Access-Control-Allow-Headers", "Authorization, Content-Type, Last-Event-ID",
        "Access-Control-Max-Age", "600");
  }
}
